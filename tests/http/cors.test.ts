import { beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, testApp } from "../support/app";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const APP = "https://app.example.com";
const OTHER = "https://evil.example.net";

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ env: { CORS_ORIGINS: `${APP}, http://localhost:3000` } });
});

const fromOrigin = (origin: string, extra: Record<string, string> = {}) => ({ origin, ...extra });
const preflight = (path: string, origin: string, method = "POST", headers = "content-type,authorization") =>
  t.call("OPTIONS", path, {
    headers: { origin, "access-control-request-method": method, "access-control-request-headers": headers },
  });
const listOf = (value: string | null) => (value ?? "").split(",").map((item) => item.trim().toLowerCase());

describe("CORS on simple requests", () => {
  test("a listed origin gets its own origin back, with credentials and the headers it may read", async () => {
    const res = await t.call("GET", "/health", { headers: fromOrigin(APP) });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(APP);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("vary")).toContain("Origin");
    expect(listOf(res.headers.get("access-control-expose-headers"))).toEqual(
      expect.arrayContaining([
        "x-request-id",
        "retry-after",
        "ratelimit-limit",
        "ratelimit-remaining",
        "ratelimit-reset",
        "www-authenticate",
      ]),
    );
  });

  test("every listed origin is allowed, each exactly", async () => {
    const res = await t.call("GET", "/health", { headers: fromOrigin("http://localhost:3000") });
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    for (const near of ["http://localhost:3001", "https://localhost:3000", `${APP}.evil.net`, "null", "*"]) {
      const other = await t.call("GET", "/health", { headers: fromOrigin(near) });
      expect({ near, allow: other.headers.get("access-control-allow-origin") }).toEqual({
        near,
        allow: null,
      });
    }
  });

  test("an origin not listed gets no Access-Control-Allow-Origin and no credentials", async () => {
    const res = await t.call("GET", "/health", { headers: fromOrigin(OTHER) });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    expect(res.headers.get("vary")).toContain("Origin");
  });

  test("a request without Origin (curl, servers) is answered as before, with no CORS grant", async () => {
    const res = await t.call("GET", "/health");
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });
});

describe("CORS preflight", () => {
  test("a listed origin's preflight is answered 204 with the methods, headers and credentials it may use", async () => {
    const res = await preflight("/api/v1/users/me", APP, "GET", "authorization,x-tenant");
    expect(res.status).toBe(204);
    expect(res.body).toBe("");
    expect(res.headers.get("access-control-allow-origin")).toBe(APP);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(listOf(res.headers.get("access-control-allow-methods"))).toEqual(
      expect.arrayContaining(["get", "post", "put", "patch", "delete"]),
    );
    expect(listOf(res.headers.get("access-control-allow-headers"))).toEqual(
      expect.arrayContaining([
        "authorization",
        "content-type",
        "x-tenant",
        "x-request-id",
        "x-requested-with",
      ]),
    );
    expect(Number(res.headers.get("access-control-max-age"))).toBeGreaterThan(0);
  });

  test("the preflight keeps the security headers and gets a request id", async () => {
    const res = await preflight("/api/v1/auth/refresh", APP);
    expect(res.status).toBe(204);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  test("OPTIONS on any path is a preflight, an unknown one too (its real request then gets 404)", async () => {
    const res = await preflight("/api/v1/no-such-thing", APP);
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(APP);
    const real = await t.call("POST", "/api/v1/no-such-thing", { headers: fromOrigin(APP) });
    expect(real.status).toBe(404);
    expect(real.headers.get("access-control-allow-origin")).toBe(APP);
  });

  test("an origin not listed gets a 204 without Access-Control-Allow-Origin, so its browser sends nothing", async () => {
    const res = await preflight("/api/v1/auth/login", OTHER);
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });
});

describe("CORS on errors: a listed origin can read the problem+json", () => {
  test("401 from a protected route", async () => {
    const res = await t.call("GET", "/api/v1/users/me", { headers: fromOrigin(APP) });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.headers.get("access-control-allow-origin")).toBe(APP);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.body.code).toBe("INVALID_TOKEN");
  });

  test("422 from a body that does not match", async () => {
    const res = await t.call("POST", "/api/v1/auth/login", { headers: fromOrigin(APP), body: { email: 1 } });
    expect(res.status).toBe(422);
    expect(res.headers.get("access-control-allow-origin")).toBe(APP);
    expect(res.body.code).toBe("VALIDATION_FAILED");
  });

  test("an origin not listed gets the same error without the grant", async () => {
    const res = await t.call("GET", "/api/v1/users/me", { headers: fromOrigin(OTHER) });
    expect(res.status).toBe(401);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("without CORS_ORIGINS", () => {
  test("no origin is granted anything, preflights included", async () => {
    const closed = await testApp();
    expect(closed.config.http.corsOrigins).toEqual([]);
    const simple = await closed.call("GET", "/health", { headers: fromOrigin(APP) });
    expect(simple.headers.get("access-control-allow-origin")).toBeNull();
    expect(simple.headers.get("access-control-allow-credentials")).toBeNull();
    const res = await closed.call("OPTIONS", "/api/v1/auth/login", {
      headers: { origin: APP, "access-control-request-method": "POST" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});
