import { timingSafeEqual } from "node:crypto";
import { Elysia, t } from "elysia";
import type { Registry } from "prom-client";
import { UnauthorizedError } from "../../core/domain/errors";
import type { Logger } from "../../core/ports/logger";
import { models, problems } from "../schemas";

export type HealthCheck = () => Promise<void>;

export interface SystemRoutesDeps {
  checks: Record<string, HealthCheck>;
  /** Checks whose failure leaves the instance serving, degraded (the cache: it falls back to the database). */
  optionalChecks?: readonly string[];
  logger: Logger;
  describeError: (error: unknown) => string;
  registry: Registry;
  /** When set, /metrics answers only requests bearing it. */
  metricsToken: string | null;
  checkTimeoutMs?: number;
}

function bearsToken(authorization: string | undefined, token: string): boolean {
  const given = Buffer.from(authorization?.replace(/^Bearer /i, "") ?? "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const CheckSchema = t.Object({ status: t.UnionEnum(["up", "down"]), latencyMs: t.Number() });
const ReadySchema = t.Object(
  {
    status: t.UnionEnum(["ready", "degraded", "unavailable"]),
    checks: t.Record(t.String(), CheckSchema),
  },
  { additionalProperties: false },
);

/** Liveness, readiness (each dependency named) and Prometheus metrics. */
export function systemRoutes({
  checks,
  optionalChecks = [],
  logger,
  describeError,
  registry,
  metricsToken,
  checkTimeoutMs = 2_000,
}: SystemRoutesDeps) {
  async function runCheck(name: string, check: HealthCheck) {
    const started = performance.now();
    const latency = () => Math.round((performance.now() - started) * 100) / 100;
    let timer: Timer | undefined;
    try {
      await Promise.race([
        check(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${checkTimeoutMs} ms`)),
            checkTimeoutMs,
          );
        }),
      ]);
      return { status: "up" as const, latencyMs: latency() };
    } catch (error) {
      // The reason may name hosts or carry driver detail: it goes to the log, not to the caller.
      logger.warn("health.check_failed", { check: name, error: describeError(error) });
      return { status: "down" as const, latencyMs: latency() };
    } finally {
      clearTimeout(timer);
    }
  }

  return new Elysia({ tags: ["system"] })
    .use(models)
    .get("/health", () => ({ status: "ok" as const }), {
      response: t.Object({ status: t.Literal("ok") }, { additionalProperties: false }),
      detail: { summary: "Liveness: the process answers" },
    })
    .get(
      "/health/ready",
      async ({ status }) => {
        const names = Object.keys(checks);
        const results = await Promise.all(names.map((name) => runCheck(name, checks[name]!)));
        const body = Object.fromEntries(names.map((name, i) => [name, results[i]!]));
        const down = names.filter((_, i) => results[i]!.status === "down");
        if (down.some((name) => !optionalChecks.includes(name))) {
          return status(503, { status: "unavailable" as const, checks: body });
        }
        return status(200, {
          status: down.length > 0 ? ("degraded" as const) : ("ready" as const),
          checks: body,
        });
      },
      {
        response: { 200: ReadySchema, 503: ReadySchema },
        detail: {
          summary: "Readiness: the database and the cache answer",
          description:
            "503 unavailable while the database does not answer; 200 degraded while only the cache does not " +
            "(the instance serves from the database meanwhile).",
        },
      },
    )
    .get(
      "/metrics",
      async ({ request }) => {
        const authorization = request.headers.get("authorization") ?? undefined;
        if (metricsToken && !bearsToken(authorization, metricsToken)) {
          throw new UnauthorizedError("INVALID_TOKEN", "The metrics token is missing or wrong.");
        }
        return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType } });
      },
      {
        // Not validated (a Response is sent as it is): it documents the responses.
        response: {
          200: t.String({ description: "Prometheus text exposition format" }),
          ...problems(401),
        },
        detail: { summary: "Prometheus metrics (bearer METRICS_TOKEN when configured)" },
      },
    );
}
