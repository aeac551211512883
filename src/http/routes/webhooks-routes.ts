import { Elysia, t } from "elysia";
import { pageRequest } from "../../core/domain/pagination";
import { webhookMessageId } from "../../core/domain/webhook";
import type { ManageWebhooks } from "../../core/usecases/webhooks/manage-webhooks";
import type { AuthPlugin } from "../plugins/auth";
import { models, PageQuery, problems } from "../schemas";
import { presentWebhookEndpoint } from "../webhook-presenter";
import { WebhookIdParams, webhookModels } from "../webhook-schemas";

export interface WebhooksRoutesDeps {
  auth: AuthPlugin;
  webhooks: ManageWebhooks;
}

const withSecret = ({
  endpoint,
  secret,
}: {
  endpoint: Parameters<typeof presentWebhookEndpoint>[0];
  secret: string;
}) => ({
  endpoint: presentWebhookEndpoint(endpoint),
  secret,
});

/** The tenant's webhook endpoints, with webhooks:manage (people and API keys alike). */
export function webhooksRoutes({ auth, webhooks }: WebhooksRoutesDeps) {
  return new Elysia({ prefix: "/api/v1/webhooks", tags: ["webhooks"] })
    .use(models)
    .use(webhookModels)
    .use(auth)
    .post(
      "",
      async ({ acting, body, status }) => status(201, withSecret(await webhooks.create(acting, body))),
      {
        permission: "webhooks:manage",
        parse: "json",
        body: "CreateWebhookRequest",
        response: { 201: "WebhookEndpointWithSecret", ...problems(400, 401, 403, 413, 415, 422) },
        detail: {
          summary: "Register a webhook endpoint (its signing secret is returned once)",
          description:
            "Unknown event patterns are 422 UNKNOWN_WEBHOOK_EVENT; a URL that is not https (unless " +
            "WEBHOOK_ALLOW_HTTP=true) or does not resolve is 422 INVALID_WEBHOOK_URL; one that resolves to a " +
            "loopback, private, link-local, multicast or cloud-metadata address is 422 WEBHOOK_TARGET_FORBIDDEN.",
        },
      },
    )
    .get(
      "",
      async ({ acting, query }) => {
        const page = await webhooks.list(acting, pageRequest(query.limit, query.cursor));
        return { items: page.items.map(presentWebhookEndpoint), nextCursor: page.nextCursor };
      },
      {
        permission: "webhooks:manage",
        query: t.Object(PageQuery),
        response: { 200: "WebhookEndpointList", ...problems(401, 403, 422) },
        detail: { summary: "List the tenant's webhook endpoints (never their secrets)" },
      },
    )
    .get(
      "/:id",
      async ({ acting, params }) => presentWebhookEndpoint(await webhooks.get(acting, params.id)),
      {
        permission: "webhooks:manage",
        params: WebhookIdParams,
        response: { 200: "WebhookEndpoint", ...problems(401, 403, 404, 422) },
        detail: { summary: "Read a webhook endpoint (never its secret)" },
      },
    )
    .patch(
      "/:id",
      async ({ acting, params, body }) =>
        presentWebhookEndpoint(await webhooks.update(acting, params.id, body)),
      {
        permission: "webhooks:manage",
        parse: "json",
        params: WebhookIdParams,
        body: "UpdateWebhookRequest",
        response: { 200: "WebhookEndpoint", ...problems(400, 401, 403, 404, 413, 415, 422) },
        detail: {
          summary: "Change some of a webhook endpoint's fields; enabled: true lifts an automatic disabling",
        },
      },
    )
    .put(
      "/:id",
      async ({ acting, params, body }) =>
        presentWebhookEndpoint(
          await webhooks.update(acting, params.id, {
            url: body.url,
            events: body.events,
            description: body.description ?? null,
            enabled: body.enabled ?? true,
          }),
        ),
      {
        permission: "webhooks:manage",
        parse: "json",
        params: WebhookIdParams,
        body: "ReplaceWebhookRequest",
        response: { 200: "WebhookEndpoint", ...problems(400, 401, 403, 404, 413, 415, 422) },
        detail: { summary: "Replace a webhook endpoint's fields (its secret stays)" },
      },
    )
    .delete(
      "/:id",
      async ({ acting, params, status }) => {
        await webhooks.remove(acting, params.id);
        return status(204, undefined);
      },
      {
        permission: "webhooks:manage",
        params: WebhookIdParams,
        response: { 204: t.Void(), ...problems(401, 403, 404, 422) },
        detail: { summary: "Delete a webhook endpoint with its pending messages and delivery log" },
      },
    )
    .post(
      "/:id/rotate-secret",
      async ({ acting, params }) => withSecret(await webhooks.rotateSecret(acting, params.id)),
      {
        permission: "webhooks:manage",
        params: WebhookIdParams,
        response: { 200: "WebhookEndpointWithSecret", ...problems(401, 403, 404, 422) },
        detail: {
          summary: "Rotate the signing secret (the new one is returned once)",
          description:
            "The replaced secret keeps signing alongside the new one for 24 hours: each delivery carries one " +
            "signature per secret in webhook-signature.",
        },
      },
    )
    .post(
      "/:id/test",
      async ({ acting, params, status }) => {
        const { messageId } = await webhooks.sendTest(acting, params.id);
        return status(202, { messageId: webhookMessageId(messageId) });
      },
      {
        permission: "webhooks:manage",
        params: WebhookIdParams,
        response: { 202: "WebhookTestSent", ...problems(401, 403, 404, 409, 422) },
        detail: { summary: "Send a webhook.test event to this endpoint (queued for delivery)" },
      },
    );
}
