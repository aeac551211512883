import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Database } from "../../src/adapters/db/database";
import { auditChainHeads, auditEvents } from "../../src/adapters/db/schema";

export type AuditRow = typeof auditEvents.$inferSelect;

/**
 * Changes audit rows as someone with direct database access could: with triggers (the append-only
 * guard among them) off for one transaction.
 */
export async function tamper(db: Database, ...statements: ReturnType<typeof sql>[]) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    for (const statement of statements) await tx.execute(statement);
  });
}

/** The last seq of the tenant's chain (0 before its first event): mark it, act, then read what followed. */
export async function lastSeq(db: Database, tenantId: string): Promise<number> {
  const [head] = await db.select().from(auditChainHeads).where(eq(auditChainHeads.tenantId, tenantId));
  return head?.lastSeq ?? 0;
}

/** The tenant's events after `seq`, in chain order. */
export async function eventsAfter(db: Database, tenantId: string, seq = 0): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), gt(auditEvents.seq, seq)))
    .orderBy(asc(auditEvents.seq));
}

/** Runs `act` and returns the events it appended to the tenant's chain. */
export async function eventsOf(
  db: Database,
  tenantId: string,
  act: () => Promise<unknown>,
): Promise<AuditRow[]> {
  const mark = await lastSeq(db, tenantId);
  await act();
  return eventsAfter(db, tenantId, mark);
}

/** Fails when any of `secrets` (passwords, tokens, hashes) appears anywhere in the events. */
export function expectNoSecrets(events: AuditRow[], secrets: string[]) {
  const text = JSON.stringify(events);
  for (const secret of secrets) {
    if (text.includes(secret)) throw new Error(`an audit event holds a secret: ${secret.slice(0, 8)}...`);
  }
  if (/\$2[aby]\$/.test(text)) throw new Error("an audit event holds a bcrypt hash");
}
