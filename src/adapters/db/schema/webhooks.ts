import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import type { WebhookPayload } from "../../../core/domain/webhook";
import { createdAt, id, oneOf, timestamptz, updatedAt } from "./columns";
import { tenantId } from "./tenants";

export const webhookMessageStatuses = ["pending", "delivered", "failed"] as const;

/**
 * A tenant's receiver of webhooks. Signing secrets must be read back to sign, so they are stored
 * sealed (AES-256-GCM), never hashed. After a rotation the previous secret keeps signing alongside the
 * current one until `previous_secret_expires_at`.
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: id(),
    tenantId: tenantId(),
    url: text("url").notNull(),
    description: text("description"),
    events: text("events").array().notNull(),
    enabled: boolean("enabled").notNull().default(true),
    secretSealed: text("secret_sealed").notNull(),
    previousSecretSealed: text("previous_secret_sealed"),
    previousSecretExpiresAt: timestamptz("previous_secret_expires_at"),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    disabledAt: timestamptz("disabled_at"),
    disabledReason: text("disabled_reason"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("webhook_endpoints_tenant_id_idx").on(t.tenantId, t.id)],
);

/**
 * The outbox: one row per event per endpoint, written in the transaction of the change it reports.
 * A worker claims due rows (`claimed_until` is its lease) and delivers them; the id, rendered
 * `msg_<id>`, is the `webhook-id` of every attempt.
 */
export const webhookMessages = pgTable(
  "webhook_messages",
  {
    id: id(),
    tenantId: tenantId(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventType: text("event_type").notNull(),
    payload: jsonb("payload").$type<WebhookPayload>().notNull(),
    status: text("status", { enum: webhookMessageStatuses }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamptz("next_attempt_at").notNull(),
    claimedUntil: timestamptz("claimed_until"),
    claimedBy: text("claimed_by"),
    createdAt: createdAt(),
    deliveredAt: timestamptz("delivered_at"),
  },
  (t) => [
    // The worker's claim walks due pending rows in this order.
    index("webhook_messages_status_next_attempt_at_idx").on(t.status, t.nextAttemptAt),
    index("webhook_messages_endpoint_id_idx").on(t.endpointId, t.id),
    check("webhook_messages_status_check", oneOf(t.status, webhookMessageStatuses)),
    check("webhook_messages_attempts_check", sql`${t.attempts} >= 0`),
  ],
);

/** Every delivery attempt of a message: when, the answer's status and first 1 KB, or the error. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: id(),
    messageId: uuid("message_id")
      .notNull()
      .references(() => webhookMessages.id, { onDelete: "cascade" }),
    tenantId: tenantId(),
    attemptedAt: timestamptz("attempted_at").notNull(),
    statusCode: integer("status_code"),
    durationMs: integer("duration_ms").notNull(),
    responseSnippet: text("response_snippet"),
    error: text("error"),
  },
  (t) => [index("webhook_attempts_message_id_idx").on(t.messageId, t.id)],
);
