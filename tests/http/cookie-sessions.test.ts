import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents, sessions } from "../../src/adapters/db/schema";
import { type TestApp, testApp } from "../support/app";
import { manualClock } from "../support/clock";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const APP = "https://app.example.com";
const API = "http://localhost:8080"; // PUBLIC_URL's default in the tests: plain HTTP on localhost
const TTL = 86_400;
const GRACE = 10;
/** What a page of ours sends with a request that relies on the cookie. */
const PROOF = { origin: APP, "x-requested-with": "fetch" };

const clock = manualClock();
let t: TestApp;
beforeAll(async () => {
  t = await testApp({
    clock,
    env: {
      CORS_ORIGINS: APP,
      REFRESH_TOKEN_TTL_SECONDS: String(TTL),
      REFRESH_REUSE_GRACE_SECONDS: String(GRACE),
      SESSION_IDLE_TIMEOUT_SECONDS: "3600",
    },
  });
});

/** The refresh token a Set-Cookie line puts in the cookie, with its attributes. */
function parseSetCookie(line: string | null) {
  if (!line) return null;
  const [pair, ...attributes] = line.split(";").map((part) => part.trim());
  const [name, value] = pair!.split("=") as [string, string];
  return { name, value, attributes };
}

async function signInWithCookie() {
  const tenant = await t.createTenant();
  const user = await t.createUser(tenant.id);
  const res = await t.call("POST", "/api/v1/auth/login", {
    headers: { origin: APP },
    body: { email: user.email, password: user.password, tenant: tenant.slug, session: "cookie" },
  });
  expect(res.status).toBe(200);
  const cookie = parseSetCookie(res.headers.get("set-cookie"))!;
  const sessionId = t.signer.verify(res.body.accessToken, clock.now())!.sid;
  return { tenant, user, res, cookie: cookie.value, sessionId, accessToken: res.body.accessToken as string };
}

const refreshByCookie = (cookie: string, headers: Record<string, string> = PROOF) =>
  t.call("POST", "/api/v1/auth/refresh", { headers: { cookie: `refresh_token=${cookie}`, ...headers } });
const logoutByCookie = (cookie: string, headers: Record<string, string> = PROOF) =>
  t.call("POST", "/api/v1/auth/logout", { headers: { cookie: `refresh_token=${cookie}`, ...headers } });
const sessionRow = async (id: string) => (await t.db.select().from(sessions).where(eq(sessions.id, id)))[0]!;
const me = (accessToken: string) => t.call("GET", "/api/v1/users/me", { token: accessToken });

describe("login with a session cookie", () => {
  test("sets the refresh token as an HttpOnly, SameSite=Lax cookie for the auth paths, not in the body", async () => {
    const { res, cookie } = await signInWithCookie();
    expect(Object.keys(res.body).sort()).toEqual(["accessToken", "expiresIn", "tokenType"]);
    const set = parseSetCookie(res.headers.get("set-cookie"))!;
    expect(set.name).toBe("refresh_token");
    expect(cookie.length).toBeGreaterThanOrEqual(43);
    expect(set.attributes).toEqual(
      expect.arrayContaining(["Path=/api/v1/auth", `Max-Age=${TTL}`, "HttpOnly", "SameSite=Lax"]),
    );
    // PUBLIC_URL is plain HTTP on localhost here, where a Secure cookie would not be kept.
    expect(set.attributes).not.toContain("Secure");
    expect(res.headers.get("access-control-allow-origin")).toBe(APP);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect((await me(res.body.accessToken)).status).toBe(200);
  });

  test("without `session` nothing is set and the body carries the refresh token, as before", async () => {
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    const res = await t.call("POST", "/api/v1/auth/login", {
      body: { email: user.email, password: user.password, tenant: tenant.slug },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(typeof res.body.refreshToken).toBe("string");
  });

  test("any other `session` value is refused with 422", async () => {
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    const res = await t.call("POST", "/api/v1/auth/login", {
      body: { email: user.email, password: user.password, tenant: tenant.slug, session: "jar" },
    });
    expect(res.status).toBe(422);
    expect(res.headers.get("set-cookie")).toBeNull();
  });
});

describe("refresh by cookie", () => {
  test("rotates the cookie: a new access token in the body, the new refresh token in the cookie", async () => {
    const s = await signInWithCookie();
    clock.advance(60);
    const res = await refreshByCookie(s.cookie);
    expect(res.status).toBe(200);
    expect(res.body.refreshToken).toBeUndefined();
    const next = parseSetCookie(res.headers.get("set-cookie"))!;
    expect(next.value).not.toBe(s.cookie);
    expect(next.attributes).toEqual(
      expect.arrayContaining(["Path=/api/v1/auth", "HttpOnly", "SameSite=Lax"]),
    );
    expect(t.signer.verify(res.body.accessToken, clock.now())!.sid).toBe(s.sessionId);
    expect((await refreshByCookie(next.value)).status).toBe(200);
  });

  test("the API's own origin (PUBLIC_URL) is a proof too", async () => {
    const s = await signInWithCookie();
    const res = await refreshByCookie(s.cookie, { origin: API, "x-requested-with": "fetch" });
    expect(res.status).toBe(200);
  });

  test("a body token takes precedence over the cookie, and the body flow is unchanged", async () => {
    const s = await signInWithCookie();
    const plain = await t.login(s.tenant.slug, s.user.email);
    const res = await t.call("POST", "/api/v1/auth/refresh", {
      headers: { cookie: `refresh_token=${s.cookie}` },
      body: { refreshToken: plain.refreshToken },
    });
    expect(res.status).toBe(200);
    expect(typeof res.body.refreshToken).toBe("string");
    expect(res.headers.get("set-cookie")).toBeNull();
    // The cookie's session was not touched: its token still rotates.
    expect((await refreshByCookie(s.cookie)).status).toBe(200);
  });

  test("neither a body nor a cookie is 401 REFRESH_TOKEN_REQUIRED", async () => {
    const res = await t.call("POST", "/api/v1/auth/refresh", { headers: PROOF });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("REFRESH_TOKEN_REQUIRED");
  });
});

describe("attacks on cookie sessions", () => {
  test("a cross-site form post is refused and rotates nothing", async () => {
    const s = await signInWithCookie();
    const form = { cookie: `refresh_token=${s.cookie}`, origin: "https://evil.example.net" };
    // A form without fields sends no body; with fields, a form encoding the API never takes.
    const empty = await t.call("POST", "/api/v1/auth/refresh", {
      headers: { ...form, "content-type": "application/x-www-form-urlencoded" },
    });
    expect(empty.status).toBe(403);
    expect(empty.body.code).toBe("CSRF_REJECTED");
    const withFields = await t.call("POST", "/api/v1/auth/refresh", {
      headers: { ...form, "content-type": "application/x-www-form-urlencoded" },
      rawBody: "refreshToken=x",
    });
    expect(withFields.status).toBe(415);
    for (const res of [empty, withFields]) expect(res.headers.get("set-cookie")).toBeNull();
    expect((await refreshByCookie(s.cookie)).status).toBe(200);
  });

  test("a listed Origin without the custom header (what a form on our own site could send) is refused", async () => {
    const s = await signInWithCookie();
    const res = await refreshByCookie(s.cookie, { origin: APP });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("CSRF_REJECTED");
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });

  test("the custom header from an Origin not listed, or with no Origin, is refused", async () => {
    const s = await signInWithCookie();
    const attempts: Record<string, string>[] = [
      { origin: "https://evil.example.net", "x-requested-with": "fetch" },
      { origin: "https://app.example.com.evil.net", "x-requested-with": "fetch" },
      { origin: "null", "x-requested-with": "fetch" },
      { "x-requested-with": "fetch" },
      { origin: APP, "x-requested-with": " " },
    ];
    for (const headers of attempts) {
      const res = await refreshByCookie(s.cookie, headers);
      expect({ headers, status: res.status, code: res.body.code }).toEqual({
        headers,
        status: 403,
        code: "CSRF_REJECTED",
      });
    }
    expect((await refreshByCookie(s.cookie)).status).toBe(200);
  });

  test("a stolen cookie replayed after rotation trips reuse detection and ends the session", async () => {
    const s = await signInWithCookie();
    const rotated = await refreshByCookie(s.cookie);
    const current = parseSetCookie(rotated.headers.get("set-cookie"))!.value;
    clock.advance(GRACE + 1);
    const replay = await refreshByCookie(s.cookie);
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe("REFRESH_TOKEN_REUSED");
    expect((await sessionRow(s.sessionId)).revokedReason).toBe("refresh_token_reused");
    expect((await refreshByCookie(current)).status).toBe(401);
    expect((await me(s.accessToken)).status).toBe(401);
  });

  test("two refresh_token cookies (one planted by a sibling subdomain) are refused, neither is used", async () => {
    const s = await signInWithCookie();
    const planted = (await signInWithCookie()).cookie;
    const res = await t.call("POST", "/api/v1/auth/refresh", {
      headers: { ...PROOF, cookie: `refresh_token=${planted}; refresh_token=${s.cookie}` },
    });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("INVALID_REFRESH_TOKEN");
    expect((await refreshByCookie(s.cookie)).status).toBe(200);
    expect((await refreshByCookie(planted)).status).toBe(200);
  });

  test("the cookie's token never appears in a response body or a log line", async () => {
    const s = await signInWithCookie();
    const rotated = await refreshByCookie(s.cookie);
    const next = parseSetCookie(rotated.headers.get("set-cookie"))!.value;
    const refused = await refreshByCookie(next, { origin: APP });
    await logoutByCookie(next);
    const bodies = JSON.stringify([s.res.body, rotated.body, refused.body]);
    const logs = JSON.stringify(t.logger.lines);
    for (const token of [s.cookie, next]) {
      expect(bodies.includes(token)).toBe(false);
      expect(logs.includes(token)).toBe(false);
    }
  });
});

describe("logout with a session cookie", () => {
  test("ends the cookie's session without a bearer token and clears the cookie", async () => {
    const s = await signInWithCookie();
    const res = await logoutByCookie(s.cookie);
    expect(res.status).toBe(204);
    const cleared = parseSetCookie(res.headers.get("set-cookie"))!;
    expect(cleared).toEqual({
      name: "refresh_token",
      value: "",
      attributes: expect.arrayContaining(["Path=/api/v1/auth", "Max-Age=0", "HttpOnly", "SameSite=Lax"]),
    });
    expect((await sessionRow(s.sessionId)).revokedReason).toBe("logout");
    expect((await me(s.accessToken)).status).toBe(401);
    expect((await refreshByCookie(s.cookie)).status).toBe(401);
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, s.tenant.id), eq(auditEvents.action, "auth.logout")));
    expect(event).toMatchObject({ actorId: s.user.id, resourceId: s.sessionId, outcome: "success" });
  });

  test("works with an expired access token beside the cookie", async () => {
    const s = await signInWithCookie();
    clock.advance(3_000);
    expect((await me(s.accessToken)).status).toBe(401);
    const res = await t.call("POST", "/api/v1/auth/logout", {
      token: s.accessToken,
      headers: { cookie: `refresh_token=${s.cookie}`, ...PROOF },
    });
    expect(res.status).toBe(204);
    expect((await sessionRow(s.sessionId)).revokedAt).not.toBeNull();
  });

  test("is refused without the CSRF proof, and the session lives on", async () => {
    const s = await signInWithCookie();
    const res = await logoutByCookie(s.cookie, { origin: "https://evil.example.net" });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("CSRF_REJECTED");
    expect(res.headers.get("set-cookie")).toBeNull();
    expect((await sessionRow(s.sessionId)).revokedAt).toBeNull();
  });

  test("a cookie of no live session still clears the cookie (logging out twice is harmless)", async () => {
    const s = await signInWithCookie();
    expect((await logoutByCookie(s.cookie)).status).toBe(204);
    const again = await logoutByCookie(s.cookie);
    expect(again.status).toBe(204);
    expect(parseSetCookie(again.headers.get("set-cookie"))!.attributes).toContain("Max-Age=0");
  });

  test("logouts by cookie count in the refresh bucket per IP, so guessing tokens through them is limited", async () => {
    const limited = await testApp({ env: { CORS_ORIGINS: APP, RATE_LIMIT_IP_LIMIT: "2" } });
    const guess = () =>
      limited.call("POST", "/api/v1/auth/logout", {
        headers: { ...PROOF, cookie: `refresh_token=${"x".repeat(43)}` },
      });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await guess()).status);
    expect(statuses).toEqual([204, 204, 429]);
  });

  test("without a cookie, logout is by bearer token as before, and anonymous is 401", async () => {
    const s = await signInWithCookie();
    expect((await t.call("POST", "/api/v1/auth/logout")).status).toBe(401);
    const res = await t.call("POST", "/api/v1/auth/logout", { token: s.accessToken });
    expect(res.status).toBe(204);
    expect((await sessionRow(s.sessionId)).revokedReason).toBe("logout");
  });
});

describe("the OpenAPI document", () => {
  test("describes the session field, the cookie refresh reads and the cookie logout accepts", async () => {
    const spec = (await t.call("GET", "/openapi.json")).body;
    expect(spec.components.securitySchemes.sessionCookie).toEqual({
      type: "apiKey",
      in: "cookie",
      name: "refresh_token",
    });
    expect(spec.components.schemas.LoginRequest.properties.session).toMatchObject({ const: "cookie" });
    expect(spec.components.schemas.TokenPair.required).not.toContain("refreshToken");
    const refresh = spec.paths["/api/v1/auth/refresh"].post;
    expect(refresh.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ in: "cookie", name: "refresh_token", required: false }),
      ]),
    );
    const logout = spec.paths["/api/v1/auth/logout"].post;
    expect(logout.security).toEqual(expect.arrayContaining([{ bearerAuth: [] }, { sessionCookie: [] }]));
  });
});
