import type { PageRequest } from "../domain/pagination";
import type { WebhookAttempt, WebhookMessage } from "../domain/webhook";

/** An endpoint's messages and their attempts, as its tenant reads them; every method is tenant-scoped. */
export interface WebhookMessageLog {
  /** Up to `page.limit + 1` messages of the endpoint, newest first, after (older than) `page.after`. */
  messages(tenantId: string, endpointId: string, page: PageRequest): Promise<WebhookMessage[]>;
  findMessage(tenantId: string, endpointId: string, messageId: string): Promise<WebhookMessage | null>;
  /** Every attempt of the message, oldest first (at most one per retry of the schedule, and resends). */
  attempts(tenantId: string, messageId: string): Promise<WebhookAttempt[]>;
  /**
   * Pending again and due at `at`, whatever its status; a claim in flight keeps its lease. Null when
   * the message does not exist for the tenant.
   */
  resend(tenantId: string, endpointId: string, messageId: string, at: Date): Promise<WebhookMessage | null>;
}
