import type { AuditEventInput } from "../../domain/audit";
import type { WebhookPayload } from "../../domain/webhook";
import { isWebhookEventType, subscribesTo } from "../../domain/webhook-events";
import type { IdGenerator } from "../../ports/id-generator";
import type { WebhookEndpointRepository } from "../../ports/webhook-endpoint-repository";

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
 * The transactional outbox: called with the repositories of the transaction that appended the audit
 * event, so the messages commit with the change they report, or roll back with it. One message per
 * subscribed endpoint of the event's own tenant; failures, refusals and uncatalogued actions send nothing.
 */
export async function enqueueWebhooks(
  endpoints: Pick<WebhookEndpointRepository, "subscribers" | "enqueue">,
  event: AuditEventInput,
  { at, ids }: { at: Date; ids: IdGenerator },
): Promise<void> {
  if (event.outcome !== "success" || !isWebhookEventType(event.action)) return;
  const subscribed = (await endpoints.subscribers(event.tenantId)).filter((endpoint) =>
    subscribesTo(endpoint.events, event.action),
  );
  if (subscribed.length === 0) return;
  const payload = webhookPayloadOf(event, at);
  await endpoints.enqueue(
    subscribed.map((endpoint) => ({
      id: ids.next(),
      tenantId: event.tenantId,
      endpointId: endpoint.id,
      payload,
      createdAt: at,
    })),
  );
}
