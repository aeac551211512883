import { Counter, Histogram, Registry } from "prom-client";

export interface HttpMetrics {
  registry: Registry;
  observe(method: string, route: string, status: number, seconds: number): void;
  rateLimited(endpoint: string, scope: string): void;
}

// Any other method is counted as "other": a label value never comes from what a client may invent.
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * Requests by method, route template (never the raw path: one series per route, not per id) and
 * status code, on `registry`; by default a registry of its own per app, so several apps (tests,
 * workers) never collide on metric names.
 */
export function createHttpMetrics(registry = new Registry()): HttpMetrics {
  const labelNames = ["method", "route", "status_code"] as const;
  const requests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests answered, by method, route template and status code",
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration, by method, route template and status code",
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const refusals = new Counter({
    name: "rate_limit_exceeded_total",
    help: "Requests refused by a rate limit or a login lockout, by endpoint and scope (ip, account)",
    labelNames: ["endpoint", "scope"] as const,
    registers: [registry],
  });
  const children = new Map<
    string,
    { requests: Counter.Internal; duration: ReturnType<typeof duration.labels> }
  >();
  return {
    registry,
    observe(method, route, status, seconds) {
      // prom-client hashes a label object on every observation; labelled children are looked up once.
      const known = METHODS.has(method) ? method : "other";
      const key = `${known} ${status} ${route}`;
      let child = children.get(key);
      if (!child) {
        const labels = [known, route, String(status)] as const;
        child = { requests: requests.labels(...labels), duration: duration.labels(...labels) };
        children.set(key, child);
      }
      child.requests.inc();
      child.duration.observe(seconds);
    },
    rateLimited(endpoint, scope) {
      refusals.inc({ endpoint, scope });
    },
  };
}
