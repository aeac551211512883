import { describeError } from "../adapters/system/describe-error";
import type { Config } from "../config";
import type { Logger } from "../core/ports/logger";
import { auditRetentionJob } from "../jobs/audit-retention-job";
import { auditTallyFlushJob } from "../jobs/audit-tally-flush-job";
import { flagMetricsFlushJob } from "../jobs/flag-metrics-flush-job";
import { purgeExpiredJob } from "../jobs/purge-expired-job";
import type { HttpApp } from "./http-app";
import type { UseCases } from "./use-cases";

/** Schedules the background jobs on the server's app: only the server runs them, not tests or the CLI. */
export function scheduleJobs(app: HttpApp, config: Config, logger: Logger, useCases: UseCases): void {
  app.use(
    purgeExpiredJob({
      purgeExpired: useCases.purgeExpired,
      intervalSeconds: config.auth.cleanupIntervalSeconds,
      logger,
      describeError,
    }),
  );
  app.use(auditTallyFlushJob({ flush: useCases.flushAuditTally, logger, describeError }));
  app.use(flagMetricsFlushJob({ flush: useCases.flagMetrics.flush, logger, describeError }));
  if (config.audit.retentionDays !== null) {
    app.use(
      auditRetentionJob({
        applyAuditRetention: useCases.applyAuditRetention,
        intervalSeconds: config.auth.cleanupIntervalSeconds,
        logger,
        describeError,
      }),
    );
  }
}
