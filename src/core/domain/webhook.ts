/** A tenant's receiver of webhooks, as anyone may see it: never its signing secrets. */
export interface WebhookEndpoint {
  id: string;
  tenantId: string;
  url: string;
  description: string | null;
  /** Event type patterns: an event type, `prefix.*`, or `*`. */
  events: string[];
  enabled: boolean;
  /** Until when the secret replaced by the last rotation still signs; null when none does. */
  previousSecretExpiresAt: Date | null;
  consecutiveFailures: number;
  disabledAt: Date | null;
  disabledReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type WebhookMessageStatus = "pending" | "delivered" | "failed";

/** The JSON body of every delivery, as the Standard Webhooks specification shapes it. */
export interface WebhookPayload {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

export interface WebhookMessage {
  id: string;
  tenantId: string;
  endpointId: string;
  eventType: string;
  payload: WebhookPayload;
  status: WebhookMessageStatus;
  attempts: number;
  nextAttemptAt: Date;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface WebhookAttempt {
  id: string;
  messageId: string;
  tenantId: string;
  attemptedAt: Date;
  /** Null when no answer came (refused, timed out, unsafe target). */
  statusCode: number | null;
  durationMs: number;
  /** The first 1 KB of the answer's body. */
  responseSnippet: string | null;
  error: string | null;
}

/** The `webhook-id` header of every attempt of a message: stable across retries. */
export const webhookMessageId = (messageId: string): string => `msg_${messageId}`;
