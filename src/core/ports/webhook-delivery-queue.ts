import type { WebhookAttempt, WebhookMessage } from "../domain/webhook";

/** A message a worker holds a lease on, with what it needs to send it. */
export interface ClaimedWebhookMessage {
  message: WebhookMessage;
  endpoint: {
    id: string;
    url: string;
    /** False when the endpoint was turned off or disabled after the message was enqueued. */
    active: boolean;
    /** Sealed with the SecretBox; open to sign. */
    secretSealed: string;
    previousSecretSealed: string | null;
    previousSecretExpiresAt: Date | null;
  };
}

/**
 * The outbox as delivery workers see it. Claims are leases: a claimed message is not claimed again
 * until its lease ends, so a killed worker's messages return to the others. Each write after a claim
 * names the worker and is a no-op (false) when the lease was lost to another worker meanwhile.
 */
export interface WebhookDeliveryQueue {
  /**
   * Up to `limit` pending messages due at `now` and not under another live lease, oldest due first,
   * leased to `workerId` until `now + leaseMs`. Concurrent claims never return the same message
   * (FOR UPDATE SKIP LOCKED).
   */
  claimDue(limit: number, leaseMs: number, now: Date, workerId: string): Promise<ClaimedWebhookMessage[]>;
  /** Logs an attempt and counts it on its message. */
  recordAttempt(attempt: WebhookAttempt): Promise<void>;
  markDelivered(messageId: string, workerId: string, at: Date): Promise<boolean>;
  /** Pending again from `nextAttemptAt`, lease released. */
  reschedule(messageId: string, workerId: string, nextAttemptAt: Date): Promise<boolean>;
  /** Given up: no more attempts. */
  markFailed(messageId: string, workerId: string): Promise<boolean>;
  /** Hands messages back untouched (shutdown): due again at once for any worker. */
  release(messageIds: string[], workerId: string): Promise<void>;
}
