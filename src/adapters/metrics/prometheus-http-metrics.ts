import { Counter, Registry } from "prom-client";
import type { HttpMetrics } from "../../http/metrics";
import { talliedCounter, talliedHistogram } from "./tallied-metrics";

// Any other method is counted as "other": a label value never comes from what a client may invent.
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * Requests by method, route template (never the raw path: one series per route, not per id) and
 * status code, on `registry`; by default a registry of its own per app, so several apps (tests,
 * workers) never collide on metric names.
 */
export function createHttpMetrics(registry = new Registry()): HttpMetrics {
  const requests = talliedCounter(registry, {
    name: "http_requests_total",
    help: "HTTP requests answered, by method, route template and status code",
    labelNames: ["method", "route", "status_code"],
  });
  const duration = talliedHistogram(registry, {
    name: "http_request_duration_seconds",
    help: "HTTP request duration, by method, route template and status code",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });
  const refusals = new Counter({
    name: "rate_limit_exceeded_total",
    help: "Requests refused by a rate limit or a login lockout, by endpoint and scope (ip, account)",
    labelNames: ["endpoint", "scope"] as const,
    registers: [registry],
  });
  const series = new Map<
    string,
    { requests: { inc(): void }; duration: { observe(seconds: number): void } }
  >();
  return {
    registry,
    observe(method, route, status, seconds) {
      const known = METHODS.has(method) ? method : "other";
      const key = `${known} ${status} ${route}`;
      let one = series.get(key);
      if (!one) {
        const labels = { method: known, route, status_code: String(status) };
        one = { requests: requests.series(labels), duration: duration.series(labels) };
        series.set(key, one);
      }
      one.requests.inc();
      one.duration.observe(seconds);
    },
    rateLimited(endpoint, scope) {
      refusals.inc({ endpoint, scope });
    },
  };
}
