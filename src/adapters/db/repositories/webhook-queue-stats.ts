import { count, eq, min } from "drizzle-orm";
import { platformScope } from "../../../core/domain/data-scope";
import { webhookMessages } from "../schema";
import type { ScopedDatabase } from "../scoped-database";

export interface WebhookQueueStats {
  /** Messages not yet delivered nor given up. */
  pending: number;
  /** When the oldest of them was enqueued, or null when none is pending. */
  oldestPendingAt: Date | null;
}

/**
 * One aggregate over the pending rows (the (status, next_attempt_at) index finds them), of every
 * tenant: an operator's metric, so in the platform scope named "metrics".
 */
export function webhookQueueStats(db: ScopedDatabase) {
  return async function readWebhookQueueStats(): Promise<WebhookQueueStats> {
    const [row] = await db.transaction(platformScope("metrics"), (tx) =>
      tx
        .select({ pending: count(), oldest: min(webhookMessages.createdAt) })
        .from(webhookMessages)
        .where(eq(webhookMessages.status, "pending")),
    );
    return { pending: row?.pending ?? 0, oldestPendingAt: row?.oldest ? new Date(row.oldest) : null };
  };
}
