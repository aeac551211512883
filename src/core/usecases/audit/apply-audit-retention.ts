import { SYSTEM_ACTOR } from "../../domain/audit";
import { checkSegment, type InvalidEvent } from "../../domain/audit-verification";
import { tenantScope } from "../../domain/data-scope";
import type { AuditTrail } from "../../ports/audit-trail";
import type { Clock } from "../../ports/clock";
import type { UnitOfWork } from "../../ports/repositories";

export interface AuditRetentionDeps {
  trail: AuditTrail;
  uow: UnitOfWork;
  clock: Clock;
  /** Events older than this many days are deleted; null keeps them forever. */
  retentionDays: number | null;
  batchSize?: number;
}

export interface RetentionOutcome {
  /** Events deleted, over every tenant. */
  deleted: number;
  /** Tenants whose chain was cut. */
  tenantsCut: number;
  /** Tenants left uncut because the part to delete does not verify: the evidence is kept. */
  refused: { tenantId: string; firstInvalid: InvalidEvent }[];
}

const BATCH = 1_000;

/**
 * Deletes each tenant's events older than the retention period, only ever from the start of its
 * chain, batch by batch. Each batch is verified before it goes (a tampered chain is never cut, so
 * retention cannot erase the evidence), and the checkpoint moves with it, so the chain that remains
 * still verifies. Each tenant's cut is recorded in its own chain, by the system.
 */
export function makeApplyAuditRetention({
  trail,
  uow,
  clock,
  retentionDays,
  batchSize = BATCH,
}: AuditRetentionDeps) {
  async function cutTenant(tenantId: string, before: Date, outcome: RetentionOutcome) {
    // The head first: an event appended after it is newer than the cutoff and stays.
    const { lastSeq } = await trail.bounds(tenantId);
    const firstKept = await trail.firstSeqSince(tenantId, before);
    const throughSeq = Math.min(lastSeq, firstKept === null ? lastSeq : firstKept - 1);
    let deleted = 0;
    for (;;) {
      const bounds = await trail.bounds(tenantId);
      if (throughSeq < bounds.firstSeq) break;
      const position = { nextSeq: bounds.firstSeq, prevHash: bounds.prevHash };
      const events = await trail.range(tenantId, { afterSeq: bounds.firstSeq - 1, throughSeq }, batchSize);
      const check = checkSegment(position, events);
      if (check.firstInvalid || events.length === 0) {
        const firstInvalid = check.firstInvalid ?? { seq: bounds.firstSeq, id: null, reason: "sequence_gap" };
        outcome.refused.push({ tenantId, firstInvalid });
        break;
      }
      const last = events.at(-1)!;
      const cut = await trail.cut(tenantId, {
        expectedFirstSeq: bounds.firstSeq,
        throughSeq: last.seq,
        throughHash: last.hash,
      });
      if (cut === null) break; // another instance is cutting this chain
      deleted += cut;
    }
    if (deleted === 0) return;
    outcome.deleted += deleted;
    outcome.tenantsCut += 1;
    await uow.transaction(tenantScope(tenantId), (repos) =>
      repos.audit.append(
        {
          tenantId,
          actor: SYSTEM_ACTOR,
          action: "audit.retention_applied",
          resource: { type: "audit_log", id: tenantId },
          outcome: "success",
          metadata: { deleted, olderThan: before.toISOString(), retentionDays },
        },
        { ip: null, userAgent: null, requestId: null },
      ),
    );
  }

  return async function applyAuditRetention(): Promise<RetentionOutcome> {
    const outcome: RetentionOutcome = { deleted: 0, tenantsCut: 0, refused: [] };
    if (retentionDays === null) return outcome;
    const before = new Date(clock.now().getTime() - retentionDays * 86_400_000);
    for (const tenantId of await trail.tenantIds()) await cutTenant(tenantId, before, outcome);
    return outcome;
  };
}

export type ApplyAuditRetention = ReturnType<typeof makeApplyAuditRetention>;
