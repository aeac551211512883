import { and, eq, isNull, sql } from "drizzle-orm";
import { platformScope } from "../../../core/domain/data-scope";
import type { WebhookEndpointHealth } from "../../../core/ports/webhook-endpoint-health";
import { webhookEndpoints } from "../schema";
import type { ScopedDatabase } from "../scoped-database";

/**
 * The delivery worker's bookkeeping on endpoints it knows by id only (it serves every tenant's
 * outbox): in the platform scope named "webhook delivery".
 */
export function webhookEndpointHealth(db: ScopedDatabase): WebhookEndpointHealth {
  const delivery = platformScope("webhook delivery");
  return {
    async delivered(endpointId) {
      await db.transaction(delivery, (tx) =>
        tx
          .update(webhookEndpoints)
          .set({ consecutiveFailures: 0 })
          .where(and(eq(webhookEndpoints.id, endpointId), sql`${webhookEndpoints.consecutiveFailures} > 0`)),
      );
    },
    async gaveUp(endpointId, threshold, at) {
      // One statement: two workers giving up at once count two, and only one of them disables.
      const rows = await db.transaction(delivery, (tx) =>
        tx
          .update(webhookEndpoints)
          .set({
            consecutiveFailures: sql`${webhookEndpoints.consecutiveFailures} + 1`,
            disabledAt: sql`CASE WHEN ${webhookEndpoints.consecutiveFailures} + 1 >= ${threshold} THEN ${at.toISOString()}::timestamptz ELSE NULL END`,
            disabledReason: sql`CASE WHEN ${webhookEndpoints.consecutiveFailures} + 1 >= ${threshold} THEN 'failing' ELSE NULL END`,
          })
          .where(and(eq(webhookEndpoints.id, endpointId), isNull(webhookEndpoints.disabledAt)))
          .returning({ disabledAt: webhookEndpoints.disabledAt }),
      );
      return rows[0]?.disabledAt != null;
    },
  };
}
