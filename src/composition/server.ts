import type { Config } from "../config";
import type { Logger } from "../core/ports/logger";
import { composeHttpApp } from "./http-app";
import type { Infrastructure } from "./infrastructure";
import { scheduleJobs } from "./server-jobs";
import { composeUseCases } from "./use-cases";

/** The server's composition root: the use cases, the HTTP app around them, and (to serve) the jobs. */
export function composeServer(config: Config, infra: Infrastructure & { logger: Logger; runJobs?: boolean }) {
  const wired = composeUseCases(config, infra);
  const app = composeHttpApp(config, {
    ...infra,
    ids: wired.ids,
    useCases: wired.useCases,
    metricsRegistry: wired.metricsRegistry,
  });
  if (infra.runJobs) scheduleJobs(app, config, infra.logger, wired.useCases);
  return { ...wired, app };
}
