import type { Clock } from "../../core/ports/clock";
import type { IdGenerator } from "../../core/ports/id-generator";
import type { AuditLog } from "../../core/ports/repositories";
import type { WebhookEndpointRepository } from "../../core/ports/webhook-endpoint-repository";
import { webhookMessagesFor } from "../../core/usecases/webhooks/enqueue-webhooks";
import type { WebhookSubscriberCache } from "../../core/usecases/webhooks/subscriber-cache";

/**
 * The audit log that also enqueues the webhooks an event triggers, on the same database handle: in a
 * unit of work both writes share its transaction, so a change, its audit record and its webhooks
 * commit or roll back together. With `subscribers`, which endpoints listen is read from the cache, so
 * an event nobody subscribes to costs no query.
 */
export function withWebhookOutbox(
  audit: AuditLog,
  endpoints: WebhookEndpointRepository,
  clock: Clock,
  ids: IdGenerator,
  subscribers?: Pick<WebhookSubscriberCache, "read">,
): AuditLog {
  const listening: Pick<WebhookEndpointRepository, "subscribers"> = subscribers
    ? { subscribers: (tenantId) => subscribers.read(tenantId, () => endpoints.subscribers(tenantId)) }
    : endpoints;
  return {
    async append(event, origin) {
      const messages = await webhookMessagesFor(listening, event, { at: clock.now(), ids });
      if (messages.length === 0) return audit.append(event, origin);
      // Both at once: a transaction's connection runs its statements in the order they were sent, so
      // the enqueue travels with the audit append's first statement (postgres.js pipelines them; PGlite
      // queues them) instead of costing round trips after its last. The enqueue is sent first: it
      // locks the endpoints before the append locks the audit chain head, the order an endpoint's
      // deletion takes them in (it deletes, then appends its own audit event).
      const enqueued = endpoints.enqueue(messages).then(
        () => ({ failed: false as const }),
        (error: unknown) => ({ failed: true as const, error }),
      );
      try {
        await audit.append(event, origin);
      } catch (error) {
        // A failed enqueue, sent first, is why the append's statements found the transaction aborted.
        const first = await enqueued;
        throw first.failed ? first.error : error;
      }
      const result = await enqueued;
      if (result.failed) throw result.error;
    },
  };
}
