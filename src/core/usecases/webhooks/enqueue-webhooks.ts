import type { AuditEventInput } from "../../domain/audit";
import type { WebhookPayload } from "../../domain/webhook";
import { isWebhookEventType, subscribesTo } from "../../domain/webhook-events";
import type { IdGenerator } from "../../ports/id-generator";
import type { NewWebhookMessage, WebhookEndpointRepository } from "../../ports/webhook-endpoint-repository";

/**
 * The body every endpoint receives for an audited event: the event's public fields. Audit metadata
 * never holds secrets (passwords, tokens, hashes), so it is passed on as recorded.
 */
export function webhookPayloadOf(event: AuditEventInput, at: Date): WebhookPayload {
  return {
    type: event.action,
    timestamp: at.toISOString(),
    data: {
      tenantId: event.tenantId,
      actor: event.actor,
      resource: event.resource,
      metadata: event.metadata ?? {},
    },
  };
}

/**
 * The transactional outbox's messages for an audited event: one per subscribed endpoint of the
 * event's own tenant; failures, refusals and uncatalogued actions send nothing (and read no
 * subscribers). The caller writes them with `enqueue` on the repositories of the transaction that
 * appends the event, so they commit with the change they report, or roll back with it.
 */
export async function webhookMessagesFor(
  endpoints: Pick<WebhookEndpointRepository, "subscribers">,
  event: AuditEventInput,
  { at, ids }: { at: Date; ids: IdGenerator },
): Promise<NewWebhookMessage[]> {
  if (event.outcome !== "success" || !isWebhookEventType(event.action)) return [];
  const subscribed = (await endpoints.subscribers(event.tenantId)).filter((endpoint) =>
    subscribesTo(endpoint.events, event.action),
  );
  if (subscribed.length === 0) return [];
  const payload = webhookPayloadOf(event, at);
  return subscribed.map((endpoint) => ({
    id: ids.next(),
    tenantId: event.tenantId,
    endpointId: endpoint.id,
    payload,
    createdAt: at,
  }));
}
