import { sql } from "drizzle-orm";
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
      // Creates the head or, when it exists, updates it to itself: either way the row is now locked
      // for this transaction and its values are returned, in one round trip.
      const [head] = await db
        .insert(auditChainHeads)
        .values({ tenantId: input.tenantId, lastSeq: 0, lastHash: GENESIS_HASH })
        .onConflictDoUpdate({
          target: auditChainHeads.tenantId,
          set: { lastSeq: sql`${auditChainHeads.lastSeq}` },
        })
        .returning();
      if (!head) throw new Error("audit chain head was not returned");

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
      // The event and the new head in one statement.
      const insertEvent = db
        .insert(auditEvents)
        .values(toAuditRow({ ...event, prevHash: head.lastHash, hash }));
      await db.execute(
        sql`with appended as (${insertEvent.getSQL()}) update ${auditChainHeads} set ${sql.identifier("last_seq")} = ${event.seq}, ${sql.identifier("last_hash")} = ${hash} where ${auditChainHeads.tenantId} = ${input.tenantId}`,
      );
    },
  };
}
