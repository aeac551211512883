import { count, eq, min } from "drizzle-orm";
import type { Database } from "../database";
import { webhookMessages } from "../schema";

export interface WebhookQueueStats {
  /** Messages not yet delivered nor given up. */
  pending: number;
  /** When the oldest of them was enqueued, or null when none is pending. */
  oldestPendingAt: Date | null;
}

/** One aggregate over the pending rows (the (status, next_attempt_at) index finds them). */
export function webhookQueueStats(db: Database) {
  return async function readWebhookQueueStats(): Promise<WebhookQueueStats> {
    const [row] = await db
      .select({ pending: count(), oldest: min(webhookMessages.createdAt) })
      .from(webhookMessages)
      .where(eq(webhookMessages.status, "pending"));
    return { pending: row?.pending ?? 0, oldestPendingAt: row?.oldest ? new Date(row.oldest) : null };
  };
}
