import { cron } from "@elysiajs/cron";
import type { Logger } from "../core/ports/logger";
import type { CoalescedAudit } from "../core/usecases/audit/coalesced-audit";

export interface AuditTallyFlushJobDeps {
  flush: CoalescedAudit["flush"];
  logger: Logger;
  describeError: (error: unknown) => string;
  intervalSeconds?: number;
}

/**
 * Writes the summaries of coalesced refusals whose minute is over, every `intervalSeconds` (first at
 * start-up, which also picks up what a stopped instance left in Redis). It runs on every instance,
 * with no claim in job_runs: the tally hands each minute to exactly one flusher, and a claim would
 * keep an instance from flushing what only it holds (its in-process tally, or its fallback while
 * Redis was away). With nothing to flush it costs one Redis command and no database work.
 */
export function auditTallyFlushJob({
  flush,
  logger,
  describeError,
  intervalSeconds = 10,
}: AuditTallyFlushJobDeps) {
  return cron({
    name: "audit-tally-flush",
    pattern: "* * * * * *",
    interval: intervalSeconds,
    protect: true,
    async run() {
      try {
        const { written, failed } = await flush();
        if (written > 0) logger.info("job.audit_tally_flush", { written });
        for (const { tenantId, action, count, error } of failed) {
          logger.error("audit.summary_not_recorded", {
            tenantId,
            action,
            count,
            error: describeError(error),
          });
        }
      } catch (error) {
        logger.error("job.audit_tally_flush.failed", { error: describeError(error) });
      }
    },
  });
}
