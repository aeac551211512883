import { beforeAll, describe, expect, test } from "bun:test";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { describeError } from "../../src/adapters/system/describe-error";
import { type TestApp, testApp } from "../support/app";
import { bareApp } from "../support/bare-app";
import { recordingLogger } from "../support/logger";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ env: { MAX_BODY_BYTES: "2048" } });
});

const LOGIN = "/api/v1/auth/login";

function expectProblem(res: { status: number; headers: Headers; body: any }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(res.body).toMatchObject({
    status,
    code,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
  expect(res.body.requestId).toBe(res.headers.get("x-request-id"));
}

describe("error responses are RFC 9457 problem+json", () => {
  test("malformed JSON is 400 MALFORMED_BODY", async () => {
    expectProblem(
      await t.call("POST", LOGIN, { rawBody: "{not json", headers: { "content-type": "application/json" } }),
      400,
      "MALFORMED_BODY",
    );
  });

  test("a body over MAX_BODY_BYTES is 413, by declared length", async () => {
    const big = JSON.stringify({ email: "a@example.com", password: "x".repeat(4096) });
    expectProblem(
      await t.call("POST", LOGIN, { rawBody: big, headers: { "content-type": "application/json" } }),
      413,
      "PAYLOAD_TOO_LARGE",
    );
  });

  test("a chunked body over MAX_BODY_BYTES is 413 too", async () => {
    const chunk = new TextEncoder().encode("x".repeat(1024));
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    expectProblem(
      await t.call("POST", LOGIN, { rawBody: stream, headers: { "content-type": "application/json" } }),
      413,
      "PAYLOAD_TOO_LARGE",
    );
  });

  test("an unknown route is 404 ROUTE_NOT_FOUND", async () => {
    expectProblem(await t.call("GET", "/api/v1/nothing-here"), 404, "ROUTE_NOT_FOUND");
  });

  test("an empty JSON body is 400 MALFORMED_BODY; no body at all is 400 too", async () => {
    expectProblem(
      await t.call("POST", LOGIN, { headers: { "content-type": "application/json" } }),
      400,
      "MALFORMED_BODY",
    );
    expectProblem(await t.call("POST", LOGIN), 400, "MALFORMED_BODY");
  });

  test("an empty object is 422 naming every missing field", async () => {
    const res = await t.call("POST", LOGIN, { body: {} });
    expectProblem(res, 422, "VALIDATION_FAILED");
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(["body.email", "body.password"]),
    );
  });

  test("an over-long field is 422 naming the field", async () => {
    const res = await t.call("POST", LOGIN, { body: { email: "a@example.com", password: "p".repeat(300) } });
    expectProblem(res, 422, "VALIDATION_FAILED");
    expect(res.body.errors).toContainEqual({ field: "body.password", message: expect.any(String) });
  });
});

describe("an unexpected failure", () => {
  test("is a 500 that reveals nothing, and its log line carries no query parameters", async () => {
    const tenant = await t.createTenant();
    const logger = recordingLogger();
    const secret = "$2b$04$secret-hash-that-must-not-leak";
    const failing = async () => {
      throw new DrizzleQueryError(
        "select * from users where password_hash = $1",
        [secret],
        Object.assign(new Error("connection reset"), { code: "08006" }),
      );
    };
    const app = bareApp({
      logger,
      newId: () => "req-500",
      describeError,
      useCases: { ...t.useCases, login: failing },
    });
    const response = await app.handle(
      new Request("http://localhost/api/v1/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "a@example.com", password: "whatever", tenant: tenant.slug }),
      }),
    );
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(JSON.parse(text)).toMatchObject({ code: "INTERNAL_ERROR", requestId: "req-500" });
    expect(text).not.toMatch(/select|password_hash|secret|stack|at /i);
    const line = logger.lines.find((l) => l.event === "request.failed");
    expect(line?.fields).toMatchObject({ requestId: "req-500", cause: "SQLSTATE 08006: connection reset" });
    expect(JSON.stringify(logger.lines)).not.toContain(secret);
  });
});

describe("request ids and security headers", () => {
  test("a sane X-Request-Id is echoed back; an unsafe one is replaced", async () => {
    const kept = await t.call("GET", "/health", { headers: { "x-request-id": "abc-123" } });
    expect(kept.headers.get("x-request-id")).toBe("abc-123");
    const replaced = await t.call("GET", "/health", { headers: { "x-request-id": "bad id\twith spaces" } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("API responses forbid sniffing, framing and any content loading", async () => {
    const res = await t.call("GET", "/health");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
  });
});
