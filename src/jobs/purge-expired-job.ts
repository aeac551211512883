import { cron } from "@elysiajs/cron";
import type { Logger } from "../core/ports/logger";
import type { PurgeOutcome } from "../core/usecases/maintenance/purge-expired";

export interface PurgeExpiredJobDeps {
  purgeExpired: () => Promise<PurgeOutcome>;
  intervalSeconds: number;
  logger: Logger;
  describeError: (error: unknown) => string;
}

/** Runs the purge every `intervalSeconds` (first at start-up), never twice at once in one process. */
export function purgeExpiredJob({
  purgeExpired,
  intervalSeconds,
  logger,
  describeError,
}: PurgeExpiredJobDeps) {
  return cron({
    name: "purge-expired",
    pattern: "* * * * * *",
    interval: intervalSeconds,
    protect: true,
    async run() {
      const started = performance.now();
      try {
        const outcome = await purgeExpired();
        const durationMs = Math.round(performance.now() - started);
        if (outcome.ran) {
          const { ran: _, ...removed } = outcome;
          logger.info("job.purge_expired", { ...removed, durationMs });
        } else {
          logger.info("job.purge_expired.skipped", {
            reason: "it ran within the interval, on this instance or another",
          });
        }
      } catch (error) {
        logger.error("job.purge_expired.failed", { error: describeError(error) });
      }
    },
  });
}
