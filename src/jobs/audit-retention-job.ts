import { cron } from "@elysiajs/cron";
import type { Logger } from "../core/ports/logger";
import type { ApplyAuditRetention } from "../core/usecases/audit/apply-audit-retention";

export interface AuditRetentionJobDeps {
  applyAuditRetention: ApplyAuditRetention;
  intervalSeconds: number;
  logger: Logger;
  describeError: (error: unknown) => string;
}

/**
 * Cuts audit chains past AUDIT_RETENTION_DAYS every `intervalSeconds` (first at start-up), never
 * twice at once in one process. Instances running it at once are safe: each cut moves the checkpoint
 * only from where it expected it. A chain that does not verify is left whole, and said so loudly.
 */
export function auditRetentionJob({
  applyAuditRetention,
  intervalSeconds,
  logger,
  describeError,
}: AuditRetentionJobDeps) {
  return cron({
    name: "audit-retention",
    pattern: "* * * * * *",
    interval: intervalSeconds,
    protect: true,
    async run() {
      const started = performance.now();
      try {
        const { deleted, tenantsCut, refused } = await applyAuditRetention();
        const durationMs = Math.round(performance.now() - started);
        logger.info("job.audit_retention", { deleted, tenantsCut, durationMs });
        for (const { tenantId, firstInvalid } of refused) {
          logger.error("job.audit_retention.chain_invalid", { tenantId, ...firstInvalid });
        }
      } catch (error) {
        logger.error("job.audit_retention.failed", { error: describeError(error) });
      }
    },
  });
}
