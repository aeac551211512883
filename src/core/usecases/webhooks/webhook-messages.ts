import type { Acting } from "../../domain/acting";
import { scopeOf } from "../../domain/data-scope";
import { NotFoundError } from "../../domain/errors";
import { type Page, type PageRequest, toPage } from "../../domain/pagination";
import { isUuid } from "../../domain/uuid";
import type { WebhookAttempt, WebhookMessage } from "../../domain/webhook";
import type { Clock } from "../../ports/clock";
import type { UnitOfWork } from "../../ports/repositories";
import type { WebhookMessageLog } from "../../ports/webhook-message-log";
import type { Authorize } from "../auth/authorize";
import { requirePermission } from "../auth/require-permission";

export interface WebhookMessagesDeps {
  authorize: Authorize;
  uow: Pick<UnitOfWork, "transaction">;
  log: WebhookMessageLog;
  clock: Clock;
}

const endpointNotFound = () =>
  new NotFoundError("WEBHOOK_NOT_FOUND", "The tenant has no webhook endpoint with this id.");
const messageNotFound = () =>
  new NotFoundError("WEBHOOK_MESSAGE_NOT_FOUND", "The endpoint has no message with this id.");

export type WebhookMessages = ReturnType<typeof makeWebhookMessages>;

/**
 * What an endpoint was sent, with webhooks:manage: its messages, each message's attempts, and a
 * resend now. Another tenant's endpoint or message does not exist here (404).
 */
export function makeWebhookMessages(deps: WebhookMessagesDeps) {
  const { authorize, uow, log, clock } = deps;

  async function endpointOf(acting: Acting, endpointId: string): Promise<string> {
    await requirePermission(authorize, acting, "webhooks:manage");
    const endpoint = isUuid(endpointId)
      ? await uow.transaction(scopeOf(acting), (repos) =>
          repos.webhookEndpoints.findById(acting.tenant.id, endpointId),
        )
      : null;
    if (!endpoint) throw endpointNotFound();
    return endpoint.id;
  }

  async function messageOf(acting: Acting, endpointId: string, messageId: string): Promise<WebhookMessage> {
    const endpoint = await endpointOf(acting, endpointId);
    const message = isUuid(messageId) ? await log.findMessage(acting.tenant.id, endpoint, messageId) : null;
    if (!message) throw messageNotFound();
    return message;
  }

  return {
    /** Newest first. */
    async list(acting: Acting, endpointId: string, page: PageRequest): Promise<Page<WebhookMessage>> {
      const endpoint = await endpointOf(acting, endpointId);
      return toPage(await log.messages(acting.tenant.id, endpoint, page), page.limit);
    },

    async attempts(acting: Acting, endpointId: string, messageId: string): Promise<WebhookAttempt[]> {
      const message = await messageOf(acting, endpointId, messageId);
      return log.attempts(acting.tenant.id, message.id);
    },

    /**
     * Due again now, delivered or given up alike, with the same `webhook-id`: the next worker poll
     * sends it. A message given up gets one more attempt (the schedule is spent); a failure gives it
     * up again.
     */
    async retry(acting: Acting, endpointId: string, messageId: string): Promise<WebhookMessage> {
      const message = await messageOf(acting, endpointId, messageId);
      const resent = await log.resend(acting.tenant.id, message.endpointId, message.id, clock.now());
      if (!resent) throw messageNotFound();
      return resent;
    },
  };
}
