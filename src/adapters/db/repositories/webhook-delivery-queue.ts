import { and, asc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { platformScope, tenantScope } from "../../../core/domain/data-scope";
import type { WebhookMessage } from "../../../core/domain/webhook";
import type { WebhookDeliveryQueue } from "../../../core/ports/webhook-delivery-queue";
import type { Database } from "../database";
import { webhookAttempts, webhookEndpoints, webhookMessages } from "../schema";
import type { ScopedDatabase } from "../scoped-database";

type MessageRow = typeof webhookMessages.$inferSelect;

export function toWebhookMessage({
  claimedBy: _by,
  claimedUntil: _until,
  ...row
}: MessageRow): WebhookMessage {
  return row;
}

/** A write after a claim: only while the worker still holds the lease. */
const heldBy = (messageId: string, workerId: string) =>
  and(eq(webhookMessages.id, messageId), eq(webhookMessages.claimedBy, workerId));

/**
 * The workers serve every tenant's outbox, and know a claimed message by its id: the claim and the
 * writes after it run in the platform scope named "webhook delivery". An attempt, which carries its
 * tenant, is logged in that tenant's scope.
 */
export function webhookDeliveryQueue(scoped: ScopedDatabase): WebhookDeliveryQueue {
  const delivery = platformScope("webhook delivery");
  const delivering = <T>(work: (db: Database) => Promise<T>) => scoped.transaction(delivery, work);
  return {
    claimDue: (limit, leaseMs, now, workerId) =>
      delivering(async (db) => {
        const due = db
          .select({ id: webhookMessages.id })
          .from(webhookMessages)
          .where(
            and(
              eq(webhookMessages.status, "pending"),
              lte(webhookMessages.nextAttemptAt, now),
              or(isNull(webhookMessages.claimedUntil), lte(webhookMessages.claimedUntil, now)),
            ),
          )
          .orderBy(asc(webhookMessages.nextAttemptAt))
          .limit(limit)
          .for("update", { skipLocked: true });
        const claimed = await db
          .update(webhookMessages)
          .set({ claimedBy: workerId, claimedUntil: new Date(now.getTime() + leaseMs) })
          .where(inArray(webhookMessages.id, due))
          .returning();
        if (claimed.length === 0) return [];
        const endpointIds = [...new Set(claimed.map((row) => row.endpointId))];
        const endpoints = await db
          .select()
          .from(webhookEndpoints)
          .where(inArray(webhookEndpoints.id, endpointIds));
        const byId = new Map(endpoints.map((endpoint) => [endpoint.id, endpoint]));
        return claimed
          .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime())
          .flatMap((row) => {
            const endpoint = byId.get(row.endpointId);
            if (!endpoint) return [];
            return [
              {
                message: toWebhookMessage(row),
                endpoint: {
                  id: endpoint.id,
                  url: endpoint.url,
                  active: endpoint.enabled && endpoint.disabledAt === null,
                  secretSealed: endpoint.secretSealed,
                  previousSecretSealed: endpoint.previousSecretSealed,
                  previousSecretExpiresAt: endpoint.previousSecretExpiresAt,
                },
              },
            ];
          });
      }),
    async recordAttempt(attempt) {
      // The log and the count commit together.
      await scoped.transaction(tenantScope(attempt.tenantId), async (db) => {
        await db.insert(webhookAttempts).values(attempt);
        await db
          .update(webhookMessages)
          .set({ attempts: sql`${webhookMessages.attempts} + 1` })
          .where(eq(webhookMessages.id, attempt.messageId));
      });
    },
    async markDelivered(messageId, workerId, at) {
      const rows = await delivering((db) =>
        db
          .update(webhookMessages)
          .set({ status: "delivered", deliveredAt: at, claimedBy: null, claimedUntil: null })
          .where(heldBy(messageId, workerId))
          .returning({ id: webhookMessages.id }),
      );
      return rows.length > 0;
    },
    async reschedule(messageId, workerId, nextAttemptAt) {
      const rows = await delivering((db) =>
        db
          .update(webhookMessages)
          .set({ nextAttemptAt, claimedBy: null, claimedUntil: null })
          .where(heldBy(messageId, workerId))
          .returning({ id: webhookMessages.id }),
      );
      return rows.length > 0;
    },
    async markFailed(messageId, workerId) {
      const rows = await delivering((db) =>
        db
          .update(webhookMessages)
          .set({ status: "failed", claimedBy: null, claimedUntil: null })
          .where(heldBy(messageId, workerId))
          .returning({ id: webhookMessages.id }),
      );
      return rows.length > 0;
    },
    async release(messageIds, workerId) {
      if (messageIds.length === 0) return;
      await delivering((db) =>
        db
          .update(webhookMessages)
          .set({ claimedBy: null, claimedUntil: null })
          .where(and(inArray(webhookMessages.id, messageIds), eq(webhookMessages.claimedBy, workerId))),
      );
    },
  };
}
