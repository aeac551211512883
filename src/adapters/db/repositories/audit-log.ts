import { eq, sql } from "drizzle-orm";
import { eventHash, GENESIS_HASH } from "../../../core/domain/audit-chain";
import type { Clock } from "../../../core/ports/clock";
import type { IdGenerator } from "../../../core/ports/id-generator";
import type { AuditLog } from "../../../core/ports/repositories";
import type { Database } from "../database";
import { auditChainHeads, auditEvents } from "../schema";
import { toAuditRow } from "./audit-rows";

/**
 * Appends to the tenant's hash chain. Must run inside a transaction: locking the chain head row
 * serialises writers of one tenant until commit, so sequence numbers never gap or fork.
 */
export function auditLog(db: Database, clock: Clock, ids: IdGenerator): AuditLog {
  return {
    async append(input, origin) {
      await db
        .insert(auditChainHeads)
        .values({ tenantId: input.tenantId, lastSeq: 0, lastHash: GENESIS_HASH })
        .onConflictDoNothing();
      const [head] = await db
        .select()
        .from(auditChainHeads)
        .where(eq(auditChainHeads.tenantId, input.tenantId))
        .for("update");
      if (!head) throw new Error("audit chain head vanished inside its transaction");

      // Nulls, never undefined: the hash must cover exactly what the columns will read back.
      const event = {
        id: ids.next(),
        tenantId: input.tenantId,
        seq: head.lastSeq + 1,
        actor: { type: input.actor.type, id: input.actor.id ?? null, display: input.actor.display ?? null },
        action: input.action,
        resource: { type: input.resource.type, id: input.resource.id ?? null },
        outcome: input.outcome,
        ip: origin.ip ?? null,
        userAgent: origin.userAgent ?? null,
        requestId: origin.requestId ?? null,
        // Hash what jsonb will store: JSON's own rendering (dates as ISO strings, no undefined).
        metadata: JSON.parse(JSON.stringify(input.metadata ?? {})) as Record<string, unknown>,
        createdAt: clock.now(),
      };
      const hash = eventHash(head.lastHash, event);
      await db.insert(auditEvents).values(toAuditRow({ ...event, prevHash: head.lastHash, hash }));
      await db
        .update(auditChainHeads)
        .set({ lastSeq: sql`${auditChainHeads.lastSeq} + 1`, lastHash: hash })
        .where(eq(auditChainHeads.tenantId, input.tenantId));
    },
  };
}
