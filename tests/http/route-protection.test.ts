import { beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, testApp } from "../support/app";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ env: { SIGNUP_ENABLED: "true" } });
});

/** The routes anyone may call. Every other route of the app must refuse an anonymous caller. */
const PUBLIC_ROUTES = new Set([
  "GET /docs",
  "GET /docs/assets/:name",
  "GET /openapi.json",
  "GET /health",
  "GET /health/ready",
  // Guarded by METRICS_TOKEN when one is configured, not by a user's bearer token.
  "GET /metrics",
  "POST /api/v1/auth/login",
  "POST /api/v1/auth/refresh",
  // The second step of a login: its mfaToken, not a bearer token, says who it is.
  "POST /api/v1/auth/mfa/verify",
  "POST /api/v1/auth/resend-verification",
  "GET /api/v1/auth/verify-email",
  "POST /api/v1/auth/verify-email",
  "POST /api/v1/auth/forgot-password",
  "POST /api/v1/auth/reset-password",
  "GET /api/v1/auth/confirm-email-update",
  "POST /api/v1/auth/confirm-email-update",
  "POST /api/v1/auth/accept-invitation",
  "POST /api/v1/auth/signup",
  "POST /api/v1/auth/find-tenants",
  // CORS preflights (src/http/plugins/cors.ts): answered before routing, on every path.
  "OPTIONS /",
  "OPTIONS /*",
]);

/**
 * Unleash's client and frontend APIs (src/http/routes/unleash-*): protected by client and frontend
 * keys, and left out of our OpenAPI document (Unleash specifies them; its SDKs are their clients).
 */
const UNDOCUMENTED_ROUTES = new Set([
  "GET /api/client/features",
  "POST /api/client/register",
  "POST /api/client/metrics",
  "GET /api/frontend",
  "POST /api/frontend",
  "POST /api/frontend/client/metrics",
]);

interface Route {
  name: string;
  method: string;
  path: string;
  hasBody: boolean;
}

/** Every route the app really serves (not what its documentation claims). */
function servedRoutes(): Route[] {
  return t.app.routes.map((route) => ({
    name: `${route.method} ${route.path}`,
    method: route.method,
    path: route.path.replace(/:[^/]+/g, "01950000-0000-7000-8000-000000000000"),
    hasBody: Boolean(route.hooks?.body),
  }));
}

async function documentedAsProtected(): Promise<Set<string>> {
  const spec = (await t.call("GET", "/openapi.json")).body;
  const names = new Set<string>();
  for (const [path, methods] of Object.entries<Record<string, { security?: unknown[] }>>(spec.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (operation.security?.length)
        names.add(`${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ":$1")}`);
    }
  }
  return names;
}

describe("route protection", () => {
  test("every public route on the allowlist is served by the app", () => {
    const served = new Set(servedRoutes().map((route) => route.name));
    expect([...PUBLIC_ROUTES].filter((name) => !served.has(name))).toEqual([]);
  });

  test("every route not on the public allowlist refuses anonymous and forged requests with 401", async () => {
    const protectedRoutes = servedRoutes().filter((route) => !PUBLIC_ROUTES.has(route.name));
    expect(protectedRoutes.length).toBeGreaterThanOrEqual(39);
    const forged = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${Buffer.from("{}").toString("base64url")}.x`;
    for (const route of protectedRoutes) {
      for (const token of [undefined, forged, "a.b.c"]) {
        const res = await t.call(route.method, route.path, { token, ...(route.hasBody ? { body: {} } : {}) });
        // A route with a body checks its shape first (the shape is public in the OpenAPI document).
        const allowed = route.hasBody ? [401, 422] : [401];
        expect({ route: route.name, status: res.status }).toEqual({
          route: route.name,
          status: allowed.includes(res.status) ? res.status : 401,
        });
      }
    }
  });

  test("the OpenAPI document marks exactly the non-public routes as needing a bearer token", async () => {
    const documented = await documentedAsProtected();
    const expected = servedRoutes()
      .map((route) => route.name)
      .filter((name) => !PUBLIC_ROUTES.has(name) && !UNDOCUMENTED_ROUTES.has(name));
    expect([...documented].sort()).toEqual(expected.sort());
  });
});
