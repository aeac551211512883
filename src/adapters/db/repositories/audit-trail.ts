import { and, asc, desc, eq, gt, gte, like, lt, lte, type SQL } from "drizzle-orm";
import { GENESIS_HASH } from "../../../core/domain/audit-chain";
import type { AuditEventFilter } from "../../../core/domain/audit-query";
import { platformScope, tenantScope } from "../../../core/domain/data-scope";
import type { AuditTrail } from "../../../core/ports/audit-trail";
import type { Clock } from "../../../core/ports/clock";
import type { Database } from "../database";
import { auditChainHeads, auditCheckpoints, auditEvents } from "../schema";
import type { ScopedDatabase } from "../scoped-database";
import { enableRetentionDeletes } from "./audit-retention-guard";
import { toAuditEvent } from "./audit-rows";

/** `%`, `_` and `\` match literally in a LIKE pattern after this. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function conditions(tenantId: string, filter: AuditEventFilter): SQL[] {
  const where: SQL[] = [eq(auditEvents.tenantId, tenantId)];
  const { action } = filter;
  if (action && "exact" in action) where.push(eq(auditEvents.action, action.exact));
  if (action && "prefix" in action) where.push(like(auditEvents.action, `${escapeLike(action.prefix)}%`));
  if (filter.actorId !== undefined) where.push(eq(auditEvents.actorId, filter.actorId));
  if (filter.resourceType !== undefined) where.push(eq(auditEvents.resourceType, filter.resourceType));
  if (filter.resourceId !== undefined) where.push(eq(auditEvents.resourceId, filter.resourceId));
  if (filter.outcome !== undefined) where.push(eq(auditEvents.outcome, filter.outcome));
  if (filter.from) where.push(gte(auditEvents.createdAt, filter.from));
  if (filter.to) where.push(lt(auditEvents.createdAt, filter.to));
  return where;
}

/**
 * Reads of the audit chains, and the retention cut. Each call is a transaction of its own in the
 * scope of the tenant whose chain it names; only listing the tenants that have a chain spans them.
 */
export function auditTrail(scoped: ScopedDatabase, clock: Clock): AuditTrail {
  const inTenant = <T>(tenantId: string, work: (db: Database) => Promise<T>) =>
    scoped.transaction(tenantScope(tenantId), work);
  return {
    async search(tenantId, filter, { limit, beforeSeq }) {
      const where = conditions(tenantId, filter);
      if (beforeSeq !== null) where.push(lt(auditEvents.seq, beforeSeq));
      const rows = await inTenant(tenantId, (db) =>
        db
          .select()
          .from(auditEvents)
          .where(and(...where))
          .orderBy(desc(auditEvents.seq))
          .limit(limit),
      );
      return rows.map(toAuditEvent);
    },

    async range(tenantId, { afterSeq, throughSeq, from, to }, limit) {
      const where = conditions(tenantId, { from, to });
      where.push(gt(auditEvents.seq, afterSeq), lte(auditEvents.seq, throughSeq));
      const rows = await inTenant(tenantId, (db) =>
        db
          .select()
          .from(auditEvents)
          .where(and(...where))
          .orderBy(asc(auditEvents.seq))
          .limit(limit),
      );
      return rows.map(toAuditEvent);
    },

    async bounds(tenantId) {
      const { checkpoint, head } = await inTenant(tenantId, async (db) => {
        const [checkpoint] = await db
          .select()
          .from(auditCheckpoints)
          .where(eq(auditCheckpoints.tenantId, tenantId));
        const [head] = await db.select().from(auditChainHeads).where(eq(auditChainHeads.tenantId, tenantId));
        return { checkpoint, head };
      });
      const firstSeq = checkpoint?.firstSeq ?? 1;
      const prevHash = checkpoint?.prevHash ?? GENESIS_HASH;
      return {
        firstSeq,
        prevHash,
        lastSeq: head?.lastSeq ?? firstSeq - 1,
        lastHash: head?.lastHash ?? prevHash,
      };
    },

    async tenantIds() {
      // The one read across tenants: which of them have a chain at all.
      const rows = await scoped.transaction(platformScope("audit across tenants"), (db) =>
        db.select({ tenantId: auditChainHeads.tenantId }).from(auditChainHeads),
      );
      return rows.map((row) => row.tenantId);
    },

    async firstSeqSince(tenantId, at) {
      const [row] = await inTenant(tenantId, (db) =>
        db
          .select({ seq: auditEvents.seq })
          .from(auditEvents)
          .where(and(eq(auditEvents.tenantId, tenantId), gte(auditEvents.createdAt, at)))
          .orderBy(asc(auditEvents.createdAt))
          .limit(1),
      );
      return row?.seq ?? null;
    },

    async cut(tenantId, { expectedFirstSeq, throughSeq, throughHash }) {
      return inTenant(tenantId, async (tx) => {
        await tx
          .insert(auditCheckpoints)
          .values({ tenantId, firstSeq: 1, prevHash: GENESIS_HASH })
          .onConflictDoNothing();
        const [checkpoint] = await tx
          .select()
          .from(auditCheckpoints)
          .where(eq(auditCheckpoints.tenantId, tenantId))
          .for("update");
        if (checkpoint?.firstSeq !== expectedFirstSeq) return null;
        await enableRetentionDeletes(tx);
        const deleted = await tx
          .delete(auditEvents)
          .where(and(eq(auditEvents.tenantId, tenantId), lte(auditEvents.seq, throughSeq)))
          .returning({ seq: auditEvents.seq });
        await tx
          .update(auditCheckpoints)
          .set({ firstSeq: throughSeq + 1, prevHash: throughHash, updatedAt: clock.now() })
          .where(eq(auditCheckpoints.tenantId, tenantId));
        return deleted.length;
      });
    },
  };
}
