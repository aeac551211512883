import { Elysia, t } from "elysia";
import type { Registry } from "prom-client";

export type HealthCheck = () => Promise<void>;

export interface SystemRoutesDeps {
  checks: Record<string, HealthCheck>;
  registry: Registry;
  checkTimeoutMs?: number;
}

const CheckSchema = t.Object({
  status: t.UnionEnum(["up", "down"]),
  latencyMs: t.Number(),
  error: t.Optional(t.String()),
});
const ReadySchema = t.Object({
  status: t.UnionEnum(["ready", "unavailable"]),
  checks: t.Record(t.String(), CheckSchema),
});

async function runCheck(check: HealthCheck, timeoutMs: number) {
  const started = performance.now();
  const latency = () => Math.round((performance.now() - started) * 100) / 100;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs),
      ),
    ]);
    return { status: "up" as const, latencyMs: latency() };
  } catch (error) {
    return { status: "down" as const, latencyMs: latency(), error: (error as Error).message.slice(0, 200) };
  }
}

/** Liveness, readiness (each dependency named) and Prometheus metrics. */
export function systemRoutes({ checks, registry, checkTimeoutMs = 2_000 }: SystemRoutesDeps) {
  return new Elysia({ tags: ["system"] })
    .get("/health", () => ({ status: "ok" as const }), {
      response: t.Object({ status: t.Literal("ok") }),
      detail: { summary: "Liveness: the process answers" },
    })
    .get(
      "/health/ready",
      async ({ status }) => {
        const names = Object.keys(checks);
        const results = await Promise.all(names.map((name) => runCheck(checks[name]!, checkTimeoutMs)));
        const body = Object.fromEntries(names.map((name, i) => [name, results[i]!]));
        const ready = results.every((r) => r.status === "up");
        return status(ready ? 200 : 503, { status: ready ? "ready" : "unavailable", checks: body });
      },
      {
        response: { 200: ReadySchema, 503: ReadySchema },
        detail: { summary: "Readiness: the database and the cache answer" },
      },
    )
    .get(
      "/metrics",
      async () =>
        new Response(await registry.metrics(), { headers: { "content-type": registry.contentType } }),
      { detail: { summary: "Prometheus metrics" } },
    );
}
