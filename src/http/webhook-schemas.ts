import { Elysia, t } from "elysia";
import { WEBHOOK_URL_MAX_LENGTH } from "../core/domain/webhook-target";
import { Integer, IsoDateTime } from "./schemas";

const Url = t.String({
  minLength: 1,
  maxLength: WEBHOOK_URL_MAX_LENGTH,
  description: "https (http only when WEBHOOK_ALLOW_HTTP=true); must not resolve to a private address",
});
const Events = t.Array(t.String({ minLength: 1, maxLength: 100 }), {
  minItems: 1,
  maxItems: 100,
  description: 'event types or patterns from the catalogue: "user.created", "user.*", "*"',
});
const Description = t.Union([t.String({ maxLength: 500 }), t.Null()]);

export const CreateWebhookRequestSchema = t.Object(
  {
    url: Url,
    events: Events,
    description: t.Optional(Description),
    enabled: t.Optional(t.Boolean({ description: "true by default" })),
  },
  { additionalProperties: false },
);

export const ReplaceWebhookRequestSchema = t.Object(
  {
    url: Url,
    events: Events,
    description: t.Optional(Description),
    enabled: t.Optional(t.Boolean({ description: "true when absent" })),
  },
  { additionalProperties: false },
);

export const UpdateWebhookRequestSchema = t.Object(
  {
    url: t.Optional(Url),
    events: t.Optional(Events),
    description: t.Optional(Description),
    enabled: t.Optional(t.Boolean({ description: "true also lifts an automatic disabling" })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const WebhookEndpointSchema = t.Object(
  {
    id: t.String({ format: "uuid" }),
    url: t.String(),
    description: t.Union([t.String(), t.Null()]),
    events: t.Array(t.String()),
    enabled: t.Boolean(),
    previousSecretExpiresAt: t.Union([IsoDateTime, t.Null()], {
      description: "until when the secret replaced by the last rotation still signs",
    }),
    consecutiveFailures: Integer(),
    disabledAt: t.Union([IsoDateTime, t.Null()], { description: "set when failures disabled it" }),
    disabledReason: t.Union([t.String(), t.Null()]),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  },
  { additionalProperties: false },
);

export const WebhookEndpointWithSecretSchema = t.Object(
  {
    endpoint: WebhookEndpointSchema,
    secret: t.String({ description: "whsec_…: shown only in this response; store it now" }),
  },
  { additionalProperties: false },
);

export const WebhookEndpointListSchema = t.Object(
  { items: t.Array(WebhookEndpointSchema), nextCursor: t.Union([t.String(), t.Null()]) },
  { additionalProperties: false },
);

export const WebhookTestSentSchema = t.Object(
  { messageId: t.String({ description: "the webhook-id of the test delivery (msg_…)" }) },
  { additionalProperties: false },
);

export const WebhookIdParams = t.Object({ id: t.String({ format: "uuid" }) });

export const webhookModels = new Elysia({ name: "webhook-models" }).model({
  WebhookEndpoint: WebhookEndpointSchema,
  WebhookEndpointWithSecret: WebhookEndpointWithSecretSchema,
  WebhookEndpointList: WebhookEndpointListSchema,
  WebhookTestSent: WebhookTestSentSchema,
  CreateWebhookRequest: CreateWebhookRequestSchema,
  ReplaceWebhookRequest: ReplaceWebhookRequestSchema,
  UpdateWebhookRequest: UpdateWebhookRequestSchema,
});
