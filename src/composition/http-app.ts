import type { Registry } from "prom-client";
import type { DatabaseHandle } from "../adapters/db/database";
import { translateDatabaseError } from "../adapters/db/db-errors";
import { registerDatabasePoolMetrics } from "../adapters/metrics/database-pool-metrics";
import { createHttpMetrics } from "../adapters/metrics/prometheus-http-metrics";
import { registerRuntimeMetrics } from "../adapters/metrics/runtime-metrics";
import { describeError } from "../adapters/system/describe-error";
import type { Config } from "../config";
import type { IdGenerator } from "../core/ports/id-generator";
import type { Logger } from "../core/ports/logger";
import { createApp } from "../http/app";
import type { EphemeralStore } from "./ephemeral-store";
import type { UseCases } from "./use-cases";

export interface HttpAppDeps {
  database: DatabaseHandle;
  store: EphemeralStore;
  logger: Logger;
  ids: IdGenerator;
  useCases: UseCases;
  /** The registry the use cases' telemetry counts on; /metrics serves it. */
  metricsRegistry: Registry;
}

/** The Elysia app around wired use cases, with its metrics, health checks and error translation. */
export function composeHttpApp(
  config: Config,
  { database, store, logger, ids, useCases, metricsRegistry }: HttpAppDeps,
) {
  registerRuntimeMetrics(metricsRegistry);
  registerDatabasePoolMetrics(metricsRegistry, database.poolUsage);
  return createApp({
    http: { ...config.http, signupEnabled: config.signup.enabled },
    refreshTokenTtlSeconds: config.auth.refreshTokenTtlSeconds,
    logger,
    metrics: createHttpMetrics(metricsRegistry),
    newId: ids.next,
    describeError,
    translateError: translateDatabaseError,
    healthChecks: { database: () => database.ping(), cache: () => store.ping() },
    optionalHealthChecks: ["cache"],
    useCases,
  });
}

export type HttpApp = ReturnType<typeof composeHttpApp>;
