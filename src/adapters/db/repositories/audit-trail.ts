import { and, asc, desc, eq, gt, gte, like, lt, lte, type SQL } from "drizzle-orm";
import { GENESIS_HASH } from "../../../core/domain/audit-chain";
import type { AuditEventFilter } from "../../../core/domain/audit-query";
import type { AuditTrail } from "../../../core/ports/audit-trail";
import type { Clock } from "../../../core/ports/clock";
import type { Database } from "../database";
import { auditChainHeads, auditCheckpoints, auditEvents } from "../schema";
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

/** Reads of the audit chains, and the retention cut. `db` is the database, not a transaction. */
export function auditTrail(db: Database, clock: Clock): AuditTrail {
  return {
    async search(tenantId, filter, { limit, beforeSeq }) {
      const where = conditions(tenantId, filter);
      if (beforeSeq !== null) where.push(lt(auditEvents.seq, beforeSeq));
      const rows = await db
        .select()
        .from(auditEvents)
        .where(and(...where))
        .orderBy(desc(auditEvents.seq))
        .limit(limit);
      return rows.map(toAuditEvent);
    },

    async range(tenantId, { afterSeq, throughSeq, from, to }, limit) {
      const where = conditions(tenantId, { from, to });
      where.push(gt(auditEvents.seq, afterSeq), lte(auditEvents.seq, throughSeq));
      const rows = await db
        .select()
        .from(auditEvents)
        .where(and(...where))
        .orderBy(asc(auditEvents.seq))
        .limit(limit);
      return rows.map(toAuditEvent);
    },

    async bounds(tenantId) {
      const [checkpoint] = await db
        .select()
        .from(auditCheckpoints)
        .where(eq(auditCheckpoints.tenantId, tenantId));
      const [head] = await db.select().from(auditChainHeads).where(eq(auditChainHeads.tenantId, tenantId));
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
      const rows = await db.select({ tenantId: auditChainHeads.tenantId }).from(auditChainHeads);
      return rows.map((row) => row.tenantId);
    },

    async firstSeqSince(tenantId, at) {
      const [row] = await db
        .select({ seq: auditEvents.seq })
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, tenantId), gte(auditEvents.createdAt, at)))
        .orderBy(asc(auditEvents.createdAt))
        .limit(1);
      return row?.seq ?? null;
    },

    async cut(tenantId, { expectedFirstSeq, throughSeq, throughHash }) {
      return db.transaction(async (tx) => {
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
        await enableRetentionDeletes(tx as unknown as Database);
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
