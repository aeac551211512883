import { eq, sql } from "drizzle-orm";
import { chainHash, GENESIS_HASH } from "../../../core/domain/audit-chain";
import type { Clock } from "../../../core/ports/clock";
import type { IdGenerator } from "../../../core/ports/id-generator";
import type { AuditLog } from "../../../core/ports/repositories";
import type { Database } from "../database";
import { auditChainHeads, auditEvents } from "../schema";

/**
 * Appends to the tenant's hash chain. Must run inside a transaction: locking the chain head row
 * serialises writers of one tenant until commit, so sequence numbers never gap or fork.
 */
export function auditLog(db: Database, clock: Clock, ids: IdGenerator): AuditLog {
  return {
    async append(event, origin) {
      await db
        .insert(auditChainHeads)
        .values({ tenantId: event.tenantId, lastSeq: 0, lastHash: GENESIS_HASH })
        .onConflictDoNothing();
      const [head] = await db
        .select()
        .from(auditChainHeads)
        .where(eq(auditChainHeads.tenantId, event.tenantId))
        .for("update");
      if (!head) throw new Error("audit chain head vanished inside its transaction");

      const record = {
        id: ids.next(),
        tenantId: event.tenantId,
        seq: head.lastSeq + 1,
        actorType: event.actor.type,
        actorId: event.actor.id,
        actorDisplay: event.actor.display,
        action: event.action,
        resourceType: event.resource.type,
        resourceId: event.resource.id,
        outcome: event.outcome,
        ip: origin.ip,
        userAgent: origin.userAgent,
        requestId: origin.requestId,
        // Hash what jsonb will store: JSON's own rendering (dates as ISO strings, no undefined).
        metadata: JSON.parse(JSON.stringify(event.metadata ?? {})) as Record<string, unknown>,
        createdAt: clock.now(),
      };
      const hash = chainHash(head.lastHash, { ...record, createdAt: record.createdAt.toISOString() });
      await db.insert(auditEvents).values({ ...record, prevHash: head.lastHash, hash });
      await db
        .update(auditChainHeads)
        .set({ lastSeq: sql`${auditChainHeads.lastSeq} + 1`, lastHash: hash })
        .where(eq(auditChainHeads.tenantId, event.tenantId));
    },
  };
}
