import { cron } from "@elysiajs/cron";
import type { Logger } from "../core/ports/logger";
import type { FlagMetrics } from "../core/usecases/flags/flag-metrics";

export interface FlagMetricsFlushJobDeps {
  flush: FlagMetrics["flush"];
  logger: Logger;
  describeError: (error: unknown) => string;
  intervalSeconds?: number;
}

/**
 * Adds the flag answers this instance counted in memory to flag_metrics every `intervalSeconds`: one
 * statement per flush instead of a write per evaluation. It runs on every instance with no claim, as
 * each holds only its own counts; on failure the counts stay for the next run.
 */
export function flagMetricsFlushJob({
  flush,
  logger,
  describeError,
  intervalSeconds = 10,
}: FlagMetricsFlushJobDeps) {
  return cron({
    name: "flag-metrics-flush",
    pattern: "* * * * * *",
    interval: intervalSeconds,
    protect: true,
    async run() {
      try {
        await flush();
      } catch (error) {
        logger.error("job.flag_metrics_flush.failed", { error: describeError(error) });
      }
    },
  });
}
