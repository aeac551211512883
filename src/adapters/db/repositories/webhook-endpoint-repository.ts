import { and, asc, eq, gt, inArray, isNull } from "drizzle-orm";
import type { WebhookEndpoint } from "../../../core/domain/webhook";
import type { WebhookEndpointRepository } from "../../../core/ports/webhook-endpoint-repository";
import type { Database } from "../database";
import { webhookEndpoints, webhookMessages } from "../schema";

type Row = typeof webhookEndpoints.$inferSelect;

function toEndpoint({ secretSealed: _s, previousSecretSealed: _p, ...row }: Row): WebhookEndpoint {
  return row;
}

const endpointOf = (tenantId: string, id: string) =>
  and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.tenantId, tenantId));

export function webhookEndpointRepository(db: Database): WebhookEndpointRepository {
  return {
    async create({ createdAt, ...endpoint }) {
      const [row] = await db
        .insert(webhookEndpoints)
        .values({ ...endpoint, createdAt, updatedAt: createdAt })
        .returning();
      return toEndpoint(row!);
    },
    async findById(tenantId, id) {
      const [row] = await db.select().from(webhookEndpoints).where(endpointOf(tenantId, id));
      return row ? toEndpoint(row) : null;
    },
    async list(tenantId, page) {
      const rows = await db
        .select()
        .from(webhookEndpoints)
        .where(
          and(
            eq(webhookEndpoints.tenantId, tenantId),
            page.after ? gt(webhookEndpoints.id, page.after) : undefined,
          ),
        )
        .orderBy(asc(webhookEndpoints.id))
        .limit(page.limit + 1);
      return rows.map(toEndpoint);
    },
    async update(tenantId, id, patch, at) {
      const reenable =
        patch.enabled === true ? { disabledAt: null, disabledReason: null, consecutiveFailures: 0 } : {};
      const [row] = await db
        .update(webhookEndpoints)
        .set({ ...patch, ...reenable, updatedAt: at })
        .where(endpointOf(tenantId, id))
        .returning();
      return row ? toEndpoint(row) : null;
    },
    async delete(tenantId, id) {
      const [row] = await db.delete(webhookEndpoints).where(endpointOf(tenantId, id)).returning();
      return row ? toEndpoint(row) : null;
    },
    async rotateSecret(tenantId, id, { secretSealed, previousExpiresAt }, at) {
      const [row] = await db
        .update(webhookEndpoints)
        .set({
          previousSecretSealed: webhookEndpoints.secretSealed,
          previousSecretExpiresAt: previousExpiresAt,
          secretSealed,
          updatedAt: at,
        })
        .where(endpointOf(tenantId, id))
        .returning();
      return row ? toEndpoint(row) : null;
    },
    async subscribers(tenantId) {
      return db
        .select({ id: webhookEndpoints.id, events: webhookEndpoints.events })
        .from(webhookEndpoints)
        .where(
          and(
            eq(webhookEndpoints.tenantId, tenantId),
            eq(webhookEndpoints.enabled, true),
            isNull(webhookEndpoints.disabledAt),
          ),
        );
    },
    async enqueue(messages) {
      if (messages.length === 0) return;
      // Locks the endpoints (a concurrent delete waits for this transaction) and drops any deleted
      // or disabled since they were read (from the cache, perhaps): a webhook removed meanwhile must
      // not fail the change being reported.
      const live = await db
        .select({ id: webhookEndpoints.id })
        .from(webhookEndpoints)
        .where(
          and(
            inArray(webhookEndpoints.id, [...new Set(messages.map((m) => m.endpointId))]),
            eq(webhookEndpoints.enabled, true),
            isNull(webhookEndpoints.disabledAt),
          ),
        )
        .for("key share");
      const liveIds = new Set(live.map((row) => row.id));
      const rows = messages
        .filter((message) => liveIds.has(message.endpointId))
        .map(({ payload, createdAt, ...message }) => ({
          ...message,
          payload,
          eventType: payload.type,
          createdAt,
          nextAttemptAt: createdAt,
        }));
      if (rows.length > 0) await db.insert(webhookMessages).values(rows);
    },
  };
}
