import type { AuditEventInput } from "../../core/domain/audit";
import type { Clock } from "../../core/ports/clock";
import type { IdGenerator } from "../../core/ports/id-generator";
import type {
  NewWebhookMessage,
  WebhookEndpointRepository,
} from "../../core/ports/webhook-endpoint-repository";
import { webhookMessagesFor } from "../../core/usecases/webhooks/enqueue-webhooks";
import type { WebhookSubscriberCache } from "../../core/usecases/webhooks/subscriber-cache";
import type { WrittenWithEvent } from "./repositories/audit-log";
import { enqueueStatement } from "./repositories/webhook-endpoint-repository";

export type WebhookOutbox = (event: AuditEventInput) => Promise<NewWebhookMessage[]>;

/**
 * The webhooks an audited event triggers. With `subscribers`, which endpoints listen is read from the
 * cache, so an event nobody subscribes to costs no query; without, `endpoints` (on the transaction's
 * handle) is asked.
 */
export function webhookOutbox(
  endpoints: Pick<WebhookEndpointRepository, "subscribers">,
  clock: Clock,
  ids: IdGenerator,
  subscribers?: Pick<WebhookSubscriberCache, "read">,
): WebhookOutbox {
  const listening: Pick<WebhookEndpointRepository, "subscribers"> = subscribers
    ? { subscribers: (tenantId) => subscribers.read(tenantId, () => endpoints.subscribers(tenantId)) }
    : endpoints;
  return (event) => webhookMessagesFor(listening, event, { at: clock.now(), ids });
}

/**
 * The transactional outbox as the audit log writes it: the messages are inserted by the statement
 * that inserts their event (audit-log.ts), so a change, its audit record and its webhooks commit or
 * roll back together, and enqueuing costs no statement of its own.
 */
export function writtenWithEvent(outbox: WebhookOutbox): WrittenWithEvent {
  return async (event) => {
    const messages = await outbox(event);
    return messages.length > 0 ? enqueueStatement(messages) : null;
  };
}
