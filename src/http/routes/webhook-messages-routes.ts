import { Elysia, t } from "elysia";
import { pageRequest } from "../../core/domain/pagination";
import type { WebhookMessages } from "../../core/usecases/webhooks/webhook-messages";
import type { AuthPlugin } from "../plugins/auth";
import { models, PageQuery, problems } from "../schemas";
import {
  presentWebhookAttempt,
  presentWebhookMessage,
  WebhookMessageParams,
  webhookMessageModels,
} from "../webhook-message-schemas";

export interface WebhookMessagesRoutesDeps {
  auth: AuthPlugin;
  messages: WebhookMessages;
}

/** What an endpoint was sent and how each attempt went, and a resend; with webhooks:manage. */
export function webhookMessagesRoutes({ auth, messages }: WebhookMessagesRoutesDeps) {
  return new Elysia({ prefix: "/api/v1/webhooks", tags: ["webhooks"] })
    .use(models)
    .use(webhookMessageModels)
    .use(auth)
    .get(
      "/:id/messages",
      async ({ acting, params, query }) => {
        const page = await messages.list(acting, params.id, pageRequest(query.limit, query.cursor));
        return { items: page.items.map(presentWebhookMessage), nextCursor: page.nextCursor };
      },
      {
        permission: "webhooks:manage",
        params: t.Object({ id: t.String({ format: "uuid" }) }),
        query: t.Object(PageQuery),
        response: { 200: "WebhookMessageList", ...problems(401, 403, 404, 422) },
        detail: { summary: "List the messages sent or to send to a webhook endpoint, newest first" },
      },
    )
    .get(
      "/:id/messages/:msgId/attempts",
      async ({ acting, params }) => ({
        items: (await messages.attempts(acting, params.id, params.msgId)).map(presentWebhookAttempt),
      }),
      {
        permission: "webhooks:manage",
        params: WebhookMessageParams,
        response: { 200: "WebhookAttemptList", ...problems(401, 403, 404, 422) },
        detail: {
          summary:
            "Every delivery attempt of a message: when, status code, duration, first 1 KB of the answer",
        },
      },
    )
    .post(
      "/:id/messages/:msgId/retry",
      async ({ acting, params, status }) =>
        status(202, presentWebhookMessage(await messages.retry(acting, params.id, params.msgId))),
      {
        permission: "webhooks:manage",
        params: WebhookMessageParams,
        response: { 202: "WebhookMessage", ...problems(401, 403, 404, 422) },
        detail: {
          summary: "Send a message again now, with the same webhook-id (delivered or failed alike)",
        },
      },
    );
}
