import { Registry } from "prom-client";
import { prometheusTelemetry } from "../adapters/metrics/prometheus-telemetry";
import type { Config } from "../config";
import type { Logger } from "../core/ports/logger";
import { composeHttpApp } from "./http-app";
import type { Infrastructure } from "./infrastructure";
import { scheduleJobs } from "./server-jobs";
import { composeUseCases } from "./use-cases";

/** The server's composition root: the use cases, the HTTP app around them, and (to serve) the jobs. */
export function composeServer(config: Config, infra: Infrastructure & { logger: Logger; runJobs?: boolean }) {
  // A registry per server, so several in one process (tests, workers) never collide on metric names.
  const metricsRegistry = new Registry();
  const wired = composeUseCases(config, { ...infra, telemetry: prometheusTelemetry(metricsRegistry) });
  const app = composeHttpApp(config, { ...infra, ids: wired.ids, useCases: wired.useCases, metricsRegistry });
  if (infra.runJobs) scheduleJobs(app, config, infra.logger, wired.useCases);
  return { ...wired, app };
}
