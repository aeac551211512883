import { Elysia } from "elysia";
import type { ManageWebhooks } from "../../core/usecases/webhooks/manage-webhooks";
import type { WebhookMessages } from "../../core/usecases/webhooks/webhook-messages";
import type { AuthPlugin } from "../plugins/auth";
import { webhookMessagesRoutes } from "./webhook-messages-routes";
import { webhooksRoutes } from "./webhooks-routes";

export interface WebhookUseCases {
  webhooks: ManageWebhooks;
  webhookMessages: WebhookMessages;
}

/** /api/v1/webhooks: a tenant's endpoints, and what each was sent. */
export function webhookApi({ auth, webhooks, webhookMessages }: WebhookUseCases & { auth: AuthPlugin }) {
  return new Elysia({ name: "webhook-api" })
    .use(webhooksRoutes({ auth, webhooks }))
    .use(webhookMessagesRoutes({ auth, messages: webhookMessages }));
}
