import type { AuditEventInput, RequestOrigin } from "../../domain/audit";
import { coalescedEvent, minuteOf } from "../../domain/audit-coalescing";
import { tenantScope } from "../../domain/data-scope";
import type { AuditTally, TalliedMinute } from "../../ports/audit-tally";
import type { Clock } from "../../ports/clock";
import type { UnitOfWork } from "../../ports/repositories";

export interface CoalescedAuditDeps {
  uow: UnitOfWork;
  tally: AuditTally;
  clock: Clock;
}

export interface FlushOutcome {
  written: number;
  /** Summaries the database refused: their counts are lost, so the job logs them. */
  failed: { tenantId: string; action: string; count: number; error: unknown }[];
}

const BATCH = 100;
const MAX_BATCHES = 100;

const summaryOf = (minute: TalliedMinute) => coalescedEvent(minute.sample.event, minute, true);

/**
 * Records refusals a caller can repeat at will (403s, locked logins, rate-limit trips) without
 * letting them flood the log. Per key and minute, the first is written at once; the rest of that
 * minute are only counted in the tally (Redis or memory: no database write, no chain lock) and are
 * written as one summary once the minute is over, by the key's next refusal or by `flush`, whichever
 * comes first. The chain is append-only, so the summary is an event of its own, never an update.
 */
export function makeCoalescedAudit({ uow, tally, clock }: CoalescedAuditDeps) {
  async function record(key: string, event: AuditEventInput, origin: RequestOrigin): Promise<void> {
    const at = clock.now().getTime();
    // A copy: the summary may be written after the request is gone, when its origin can no longer be read.
    const { first, closed } = await tally.note(key, minuteOf(at), at, { event, origin: { ...origin } });
    if (!first && !closed) return;
    // Each event goes into its own tenant's log. Every key names its tenant, so the closed minute is
    // of the same tenant as this event; a different one would be refused by row-level security.
    await uow.transaction(tenantScope(event.tenantId), async (repos) => {
      if (closed) await repos.audit.append(summaryOf(closed), closed.sample.origin);
      if (first) {
        await repos.audit.append(coalescedEvent(event, { count: 1, firstAt: at, lastAt: at }, false), origin);
      }
    });
  }

  /**
   * Writes the summaries of the minutes that are over (with `all`, of the open ones too: on
   * shutdown). Safe on several instances at once: the tally hands each minute to one of them.
   */
  async function flush({ all = false }: { all?: boolean } = {}): Promise<FlushOutcome> {
    const beforeMinute = all ? Number.MAX_SAFE_INTEGER : minuteOf(clock.now().getTime());
    const outcome: FlushOutcome = { written: 0, failed: [] };
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const minutes = await tally.take(beforeMinute, BATCH);
      for (const minute of minutes) {
        try {
          const summary = summaryOf(minute);
          await uow.transaction(tenantScope(summary.tenantId), (repos) =>
            repos.audit.append(summary, minute.sample.origin),
          );
          outcome.written++;
        } catch (error) {
          const { tenantId, action } = minute.sample.event;
          outcome.failed.push({ tenantId, action, count: minute.count, error });
        }
      }
      if (minutes.length < BATCH) break;
    }
    return outcome;
  }

  return { record, flush };
}

export type CoalescedAudit = ReturnType<typeof makeCoalescedAudit>;
