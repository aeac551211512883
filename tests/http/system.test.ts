import { beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, testApp } from "../support/app";
import { bareApp } from "../support/bare-app";
import { recordingLogger } from "../support/logger";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});

describe("health", () => {
  test("GET /health answers ok", async () => {
    const res = await t.client().health.get();
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ status: "ok" });
  });

  test("GET /health/ready checks the database and the cache", async () => {
    const res = await t.client().health.ready.get();
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      status: "ready",
      checks: { database: { status: "up" }, cache: { status: "up" } },
    });
  });

  test("GET /health/ready is 503 naming the part that fails, and logs (not returns) the reason", async () => {
    const logger = recordingLogger();
    const app = bareApp({
      logger,
      healthChecks: {
        database: async () => {
          throw new Error("connect ECONNREFUSED 10.1.2.3:5432");
        },
        cache: async () => {},
      },
      optionalHealthChecks: ["cache"],
      useCases: t.useCases,
    });
    const res = await app.handle(new Request("http://localhost/health/ready"));
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      status: "unavailable",
      checks: {
        database: { status: "down", latencyMs: expect.any(Number) },
        cache: { status: "up", latencyMs: expect.any(Number) },
      },
    });
    expect(text).not.toContain("10.1.2.3");
    expect(logger.lines).toContainEqual({
      level: "warn",
      event: "health.check_failed",
      fields: { check: "database", error: "connect ECONNREFUSED 10.1.2.3:5432" },
    });
  });

  test("GET /health/ready stays 200 but degraded while only the cache is down", async () => {
    const app = bareApp({
      healthChecks: {
        database: async () => {},
        cache: async () => {
          throw new Error("connect ECONNREFUSED 10.1.2.3:6379");
        },
      },
      optionalHealthChecks: ["cache"],
      useCases: t.useCases,
    });
    const res = await app.handle(new Request("http://localhost/health/ready"));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: "degraded",
      checks: { database: { status: "up" }, cache: { status: "down" } },
    });
  });
});

describe("metrics", () => {
  test("GET /metrics exposes runtime metrics and requests by route template", async () => {
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    const { accessToken } = await t.login(tenant.slug, user.email);
    await t.call("GET", "/api/v1/users/me", { token: accessToken });
    await t.logger.waitFor((l) => l.fields.route === "/api/v1/users/me");

    const res = await t.call("GET", "/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toStartWith("text/plain");
    expect(res.body).toContain("process_cpu_user_seconds_total");
    expect(res.body).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/users\/me",status_code="200"\} \d+/,
    );
    expect(res.body).not.toContain(user.id);
  });
});

describe("API documentation", () => {
  test("/openapi.json describes the routes and the bearer scheme", async () => {
    const res = await t.call("GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.paths["/api/v1/auth/login"].post.requestBody.content).toEqual({
      "application/json": { schema: { $ref: "#/components/schemas/LoginRequest" } },
    });
    expect(Object.keys(res.body.components.schemas)).toEqual(
      expect.arrayContaining(["Problem", "LoginRequest", "TokenPair", "User"]),
    );
    expect(res.body.paths).toHaveProperty(["/api/v1/users/me", "get"]);
    expect(res.body.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
  });

  test("/docs serves Swagger UI with a policy that lets it load from the app only", async () => {
    const res = await t.call("GET", "/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toStartWith("text/html");
    expect(res.body).toContain("swagger");
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self';");
  });
});
