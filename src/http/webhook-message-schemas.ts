import { Elysia, t } from "elysia";
import type { WebhookAttempt, WebhookMessage } from "../core/domain/webhook";
import { webhookMessageId } from "../core/domain/webhook";
import { Integer, IsoDateTime } from "./schemas";

const Nullable = <T extends ReturnType<typeof t.String>>(schema: T) => t.Union([schema, t.Null()]);

export const WebhookMessageSchema = t.Object(
  {
    id: t.String({ format: "uuid" }),
    webhookId: t.String({ description: "the webhook-id header of every attempt (msg_<id>)" }),
    eventType: t.String(),
    status: t.Union([t.Literal("pending"), t.Literal("delivered"), t.Literal("failed")], {
      description: "pending (due at nextAttemptAt), delivered (a 2xx answer), failed (given up)",
    }),
    attempts: Integer(),
    nextAttemptAt: IsoDateTime,
    createdAt: IsoDateTime,
    deliveredAt: Nullable(IsoDateTime),
    payload: t.Object(
      { type: t.String(), timestamp: IsoDateTime, data: t.Record(t.String(), t.Unknown()) },
      { description: "the JSON body each attempt POSTs" },
    ),
  },
  { additionalProperties: false },
);

export const WebhookMessageListSchema = t.Object(
  { items: t.Array(WebhookMessageSchema), nextCursor: t.Union([t.String(), t.Null()]) },
  { additionalProperties: false },
);

export const WebhookAttemptSchema = t.Object(
  {
    id: t.String({ format: "uuid" }),
    attemptedAt: IsoDateTime,
    statusCode: t.Union([Integer(), t.Null()], { description: "null when no answer came" }),
    durationMs: Integer(),
    responseSnippet: Nullable(t.String({ description: "the first 1 KB of the answer" })),
    error: Nullable(t.String({ description: "why no answer came: refused target, timeout, connection" })),
  },
  { additionalProperties: false },
);

export const WebhookAttemptListSchema = t.Object(
  { items: t.Array(WebhookAttemptSchema) },
  { additionalProperties: false },
);

export const WebhookMessageParams = t.Object({
  id: t.String({ format: "uuid" }),
  msgId: t.String({ format: "uuid" }),
});

export const webhookMessageModels = new Elysia({ name: "webhook-message-models" }).model({
  WebhookMessage: WebhookMessageSchema,
  WebhookMessageList: WebhookMessageListSchema,
  WebhookAttemptList: WebhookAttemptListSchema,
});

export function presentWebhookMessage(message: WebhookMessage) {
  return {
    id: message.id,
    webhookId: webhookMessageId(message.id),
    eventType: message.eventType,
    status: message.status,
    attempts: message.attempts,
    nextAttemptAt: message.nextAttemptAt.toISOString(),
    createdAt: message.createdAt.toISOString(),
    deliveredAt: message.deliveredAt?.toISOString() ?? null,
    payload: message.payload,
  };
}

export function presentWebhookAttempt(attempt: WebhookAttempt) {
  return {
    id: attempt.id,
    attemptedAt: attempt.attemptedAt.toISOString(),
    statusCode: attempt.statusCode,
    durationMs: attempt.durationMs,
    responseSnippet: attempt.responseSnippet,
    error: attempt.error,
  };
}
