import { createHttpMetrics } from "../../src/adapters/metrics/prometheus-http-metrics";
import { type AppDeps, createApp } from "../../src/http/app";
import { silentLogger } from "./logger";

/** The HTTP app around stand-in dependencies, for tests that need a failure the real ones never give. */
export function bareApp(
  deps: Partial<Omit<AppDeps, "http">> & { useCases: AppDeps["useCases"]; http?: Partial<AppDeps["http"]> },
) {
  return createApp({
    logger: silentLogger,
    metrics: createHttpMetrics(),
    newId: () => crypto.randomUUID(),
    describeError: (error) => (error instanceof Error ? error.message : String(error)),
    healthChecks: {},
    refreshTokenTtlSeconds: 3600,
    ...deps,
    http: {
      baseDomain: null,
      trustedProxies: [],
      maxBodyBytes: 2048,
      metricsToken: null,
      publicUrl: "http://localhost",
      corsOrigins: [],
      ...deps.http,
    },
  });
}
