import type { Clock } from "../../core/ports/clock";
import type { IdGenerator } from "../../core/ports/id-generator";
import type { AuditLog } from "../../core/ports/repositories";
import type { WebhookEndpointRepository } from "../../core/ports/webhook-endpoint-repository";
import { enqueueWebhooks } from "../../core/usecases/webhooks/enqueue-webhooks";
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
  const listening: Pick<WebhookEndpointRepository, "subscribers" | "enqueue"> = subscribers
    ? {
        subscribers: (tenantId) => subscribers.read(tenantId, () => endpoints.subscribers(tenantId)),
        enqueue: (messages) => endpoints.enqueue(messages),
      }
    : endpoints;
  return {
    async append(event, origin) {
      await audit.append(event, origin);
      await enqueueWebhooks(listening, event, { at: clock.now(), ids });
    },
  };
}
