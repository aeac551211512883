import type { Clock } from "../../core/ports/clock";
import type { IdGenerator } from "../../core/ports/id-generator";
import type { AuditLog } from "../../core/ports/repositories";
import type { WebhookEndpointRepository } from "../../core/ports/webhook-endpoint-repository";
import { enqueueWebhooks } from "../../core/usecases/webhooks/enqueue-webhooks";

/**
 * The audit log that also enqueues the webhooks an event triggers, on the same database handle: in a
 * unit of work both writes share its transaction, so a change, its audit record and its webhooks
 * commit or roll back together.
 */
export function withWebhookOutbox(
  audit: AuditLog,
  endpoints: WebhookEndpointRepository,
  clock: Clock,
  ids: IdGenerator,
): AuditLog {
  return {
    async append(event, origin) {
      await audit.append(event, origin);
      await enqueueWebhooks(endpoints, event, { at: clock.now(), ids });
    },
  };
}
