import type { Registry } from "prom-client";

/** What the HTTP edge counts; src/adapters/metrics/prometheus-http-metrics.ts keeps the numbers. */
export interface HttpMetrics {
  registry: Registry;
  observe(method: string, route: string, status: number, seconds: number): void;
  rateLimited(endpoint: string, scope: string): void;
}
