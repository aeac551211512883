import { beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, testApp } from "../support/app";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

/*
 * Elysia reads the source of every hook and handler to decide what a request must parse. A hook that
 * hands its whole context to a function makes every route it applies to copy the headers into an
 * object and parse cookies and the query string, on every request: that cost a third of one-key
 * evaluation's throughput. These tests read the handlers Elysia composed.
 */

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});

/** The only routes that read the session cookie (cookie sessions for browser apps). */
const COOKIE_ROUTES = new Set([
  "POST /api/v1/auth/login",
  "POST /api/v1/auth/refresh",
  "POST /api/v1/auth/logout",
]);

interface Composed {
  method: string;
  path: string;
  composed?: (...args: unknown[]) => unknown;
}

async function composedHandlers(): Promise<{ name: string; code: string }[]> {
  const history = (t.app as unknown as { router: { history: Composed[] } }).router.history;
  for (const route of history) {
    // A route is composed on its first request; what it answers does not matter here.
    const path = route.path.replace(/:[^/]+/g, "01950000-0000-7000-8000-000000000000").replace("*", "x");
    await t.app.handle(new Request(`http://localhost${path}`, { method: route.method }));
  }
  return history.map((route) => ({
    name: `${route.method} ${route.path}`,
    code: route.composed?.toString() ?? "",
  }));
}

describe("what each request parses", () => {
  test("every route is composed, so the checks below see them all", async () => {
    const handlers = await composedHandlers();
    expect(handlers.length).toBeGreaterThan(40);
    expect(handlers.filter((h) => h.code === "").map((h) => h.name)).toEqual([]);
  });

  test("only the cookie-session routes parse cookies", async () => {
    const parsing = (await composedHandlers()).filter((h) => h.code.includes("parseCookie"));
    expect(parsing.map((h) => h.name).filter((name) => !COOKIE_ROUTES.has(name))).toEqual([]);
  });

  test("no route copies all request headers into an object", async () => {
    const copying = (await composedHandlers()).filter((h) => h.code.includes("headers.toJSON()"));
    expect(copying.map((h) => h.name)).toEqual([]);
  });

  test("the hot reads parse no query string they do not take", async () => {
    const handlers = await composedHandlers();
    const hot = ["GET /api/v1/users/me", "POST /api/v1/features/evaluate"];
    for (const name of hot) {
      const handler = handlers.find((h) => h.name === name);
      expect(handler?.code).toBeDefined();
      expect(handler?.code.includes("parseQuery")).toBe(false);
    }
  });
});
