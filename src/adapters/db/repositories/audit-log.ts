import { type SQL, sql } from "drizzle-orm";
import type { AuditEventInput } from "../../../core/domain/audit";
import { eventHash, GENESIS_HASH } from "../../../core/domain/audit-chain";
import type { Clock } from "../../../core/ports/clock";
import type { IdGenerator } from "../../../core/ports/id-generator";
import type { AuditLog } from "../../../core/ports/repositories";
import type { Database } from "../database";
import { auditChainHeads, auditEvents } from "../schema";
import { toAuditRow } from "./audit-rows";

/**
 * A write that belongs with an audit event (the webhook outbox): a statement to run inside the one
 * that inserts the event, or null when there is none. Asked before the chain head is locked.
 */
export type WrittenWithEvent = (event: AuditEventInput) => Promise<SQL | null>;

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settle = <T>(promise: Promise<T>): Promise<Settled<T>> =>
  promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );

/**
 * Appends to the tenant's hash chain. Must run inside a transaction: locking the chain head row
 * serialises writers of one tenant until commit, so sequence numbers never gap or fork. What
 * `withEvent` gives is written by the event's own statement: it commits or rolls back with the event,
 * and costs no statement or round trip of its own.
 */
export function auditLog(
  db: Database,
  clock: Clock,
  ids: IdGenerator,
  withEvent?: WrittenWithEvent,
): AuditLog {
  return {
    async append(input, origin) {
      // Started first, so what it reads (a cache, or the database on the same connection) overlaps the
      // chain head's round trip.
      const companion = withEvent ? settle(withEvent(input)) : null;
      // Creates the head or, when it exists, updates it to itself: either way the row is now locked
      // for this transaction and its values are returned, in one round trip.
      let head: typeof auditChainHeads.$inferSelect | undefined;
      try {
        [head] = await db
          .insert(auditChainHeads)
          .values({ tenantId: input.tenantId, lastSeq: 0, lastHash: GENESIS_HASH })
          .onConflictDoUpdate({
            target: auditChainHeads.tenantId,
            set: { lastSeq: sql`${auditChainHeads.lastSeq}` },
          })
          .returning();
      } catch (error) {
        // A companion read that failed first is why the transaction was aborted.
        const first = await companion;
        throw first && !first.ok ? first.error : error;
      }
      if (!head) throw new Error("audit chain head was not returned");
      const written = await companion;
      if (written && !written.ok) throw written.error;
      const also = written?.value ?? null;

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
      // The event, what belongs with it and the new head in one statement.
      const insertEvent = db
        .insert(auditEvents)
        .values(toAuditRow({ ...event, prevHash: head.lastHash, hash }));
      const companionPart = also ? sql`, companion as (${also})` : sql``;
      await db.execute(
        sql`with appended as (${insertEvent.getSQL()})${companionPart} update ${auditChainHeads} set ${sql.identifier("last_seq")} = ${event.seq}, ${sql.identifier("last_hash")} = ${hash} where ${auditChainHeads.tenantId} = ${input.tenantId}`,
      );
    },
  };
}
