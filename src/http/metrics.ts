import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

export interface HttpMetrics {
  registry: Registry;
  observe(method: string, route: string, status: number, seconds: number): void;
  rateLimited(endpoint: string, scope: string): void;
}

/** A registry of its own per app, so several apps (tests, workers) never collide on metric names. */
export function createHttpMetrics(): HttpMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration by method, route template and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const refusals = new Counter({
    name: "rate_limit_exceeded_total",
    help: "Requests refused by a rate limit or a login lockout, by endpoint and scope (ip, account)",
    labelNames: ["endpoint", "scope"] as const,
    registers: [registry],
  });
  const children = new Map<string, ReturnType<typeof duration.labels>>();
  return {
    registry,
    observe(method, route, status, seconds) {
      // prom-client hashes a label object on every observation; a labelled child is looked up once.
      const key = `${method} ${status} ${route}`;
      let child = children.get(key);
      if (!child) {
        child = duration.labels(method, route, String(status));
        children.set(key, child);
      }
      child.observe(seconds);
    },
    rateLimited(endpoint, scope) {
      refusals.inc({ endpoint, scope });
    },
  };
}
