import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents, refreshTokens, sessions, users } from "../../src/adapters/db/schema";
import { hashSecretToken } from "../../src/core/domain/secret-token";
import { TEST_PASSWORD, type TestApp, testApp } from "../support/app";
import { allowDatabaseStartup } from "../support/slow-setup";
import { problemOf } from "../support/typed-client";

allowDatabaseStartup();

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});

const LOGIN = "/api/v1/auth/login";
type Credentials = { email: string; password: string; tenant?: string };
const login = (body: Credentials, headers: Record<string, string> = {}) =>
  t.api(undefined, headers).auth.login.post(body);

describe("POST /api/v1/auth/login", () => {
  test("a correct password returns a bearer token pair", async () => {
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);

    const res = await login({ email: user.email, password: TEST_PASSWORD, tenant: tenant.slug });

    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      tokenType: "Bearer",
      expiresIn: 900,
    });
    const pair = res.data as { refreshToken: string };
    expect(Buffer.from(pair.refreshToken, "base64url").length).toBeGreaterThanOrEqual(32);
  });

  test("login stores a session, only the hash of the refresh token, the login time and an audit event", async () => {
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);

    const { accessToken, refreshToken } = await t.login(tenant.slug, user.email);
    const claims = t.signer.verify(accessToken, new Date())!;

    const [session] = await t.db.select().from(sessions).where(eq(sessions.id, claims.sid));
    expect(session).toMatchObject({ userId: user.id, tenantId: tenant.id, revokedAt: null });
    const stored = await t.db.select().from(refreshTokens).where(eq(refreshTokens.sessionId, claims.sid));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenHash).toBe(hashSecretToken(refreshToken));
    expect(JSON.stringify(stored)).not.toContain(refreshToken);
    const [row] = await t.db.select().from(users).where(eq(users.id, user.id));
    expect(row!.lastLoginAt).toBeInstanceOf(Date);
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, "auth.login.succeeded")));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: user.id, resourceId: claims.sid, outcome: "success" });
  });

  test("the email is matched case-insensitively", async () => {
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id, { email: "Mixed.Case@Example.com".toLowerCase() });
    const res = await login({
      email: "MIXED.case@example.COM",
      password: TEST_PASSWORD,
      tenant: tenant.slug,
    });
    expect(res.status).toBe(200);
    expect(user.email).toBe("mixed.case@example.com");
  });

  test("unknown email, wrong password, deactivated and password-less users get the same 401", async () => {
    const tenant = await t.createTenant();
    const active = await t.createUser(tenant.id);
    const inactive = await t.createUser(tenant.id, { isActive: false });
    const invited = await t.createUser(tenant.id, { password: null });

    const attempts = [
      { email: `nobody-${active.email}`, password: TEST_PASSWORD },
      { email: active.email, password: "Wrong-Password-1" },
      { email: inactive.email, password: TEST_PASSWORD },
      { email: invited.email, password: TEST_PASSWORD },
    ];
    const answers: unknown[] = [];
    for (const attempt of attempts) {
      const res = await login({ ...attempt, tenant: tenant.slug });
      expect(res.status).toBe(401);
      expect(res.response.headers.get("content-type")).toBe("application/problem+json");
      expect(res.response.headers.get("www-authenticate")).toStartWith("Bearer");
      const { requestId, ...rest } = problemOf(res)!;
      expect(requestId).toBeString();
      answers.push(rest);
    }
    expect(answers[0]).toMatchObject({ status: 401, code: "INVALID_CREDENTIALS" });
    for (const answer of answers) expect(answer).toEqual(answers[0]);

    const failures = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, "auth.login.failed")));
    expect(failures.map((e) => e.metadata.reason).sort()).toEqual(
      ["no_password", "unknown_email", "user_inactive", "wrong_password"].sort(),
    );
    expect(JSON.stringify(failures)).not.toContain(TEST_PASSWORD);
  });

  test("the same email in two tenants logs in to the tenant named", async () => {
    const a = await t.createTenant();
    const b = await t.createTenant();
    const email = `${t.unique("shared")}@example.com`;
    const userA = await t.createUser(a.id, { email, password: "Password-of-A-1" });
    const userB = await t.createUser(b.id, { email, password: "Password-of-B-1" });

    const asA = await t.login(a.slug, email, "Password-of-A-1");
    const asB = await t.login(b.slug, email, "Password-of-B-1");
    expect(t.signer.verify(asA.accessToken, new Date())).toMatchObject({ sub: userA.id, tid: a.id });
    expect(t.signer.verify(asB.accessToken, new Date())).toMatchObject({ sub: userB.id, tid: b.id });

    const crossed = await login({ email, password: "Password-of-A-1", tenant: b.slug });
    expect(crossed.status).toBe(401);
  });

  test("the X-Tenant header names the tenant when the body does not", async () => {
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    const res = await login({ email: user.email, password: TEST_PASSWORD }, { "x-tenant": tenant.slug });
    expect(res.status).toBe(200);
  });

  test("a body tenant that contradicts the X-Tenant header is refused", async () => {
    const a = await t.createTenant();
    const b = await t.createTenant();
    const user = await t.createUser(a.id);
    const res = await login(
      { email: user.email, password: TEST_PASSWORD, tenant: a.slug },
      { "x-tenant": b.slug },
    );
    expect(res.status).toBe(403);
    expect(problemOf(res)?.code).toBe("TENANT_MISMATCH");
  });

  test("without any tenant named, login is to the platform tenant", async () => {
    await t.platformAdmin(); // the platform tenant exists, whichever test file ran first
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    const res = await login({ email: user.email, password: TEST_PASSWORD });
    expect(res.status).toBe(401);
    expect(problemOf(res)?.code).toBe("INVALID_CREDENTIALS");
  });

  test("an unknown tenant is 404 and a suspended or cancelled one is 403 TENANT_INACTIVE", async () => {
    const unknown = await login({
      email: "a@example.com",
      password: TEST_PASSWORD,
      tenant: t.unique("missing"),
    });
    expect(unknown.status).toBe(404);
    expect(problemOf(unknown)?.code).toBe("TENANT_NOT_FOUND");

    for (const status of ["suspended", "cancelled"] as const) {
      const tenant = await t.createTenant({ status });
      const user = await t.createUser(tenant.id);
      const res = await login({ email: user.email, password: TEST_PASSWORD, tenant: tenant.slug });
      expect(res.status).toBe(403);
      expect(problemOf(res)?.code).toBe("TENANT_INACTIVE");
    }
  });

  // Raw: an unknown field is outside the request type, which is the point.
  test("bad input is 422 with the failing fields, and unknown fields are refused", async () => {
    const res = await t.call("POST", LOGIN, {
      body: { email: "not-an-email", password: "", role: "super_admin" },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe("VALIDATION_FAILED");
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toContain("body.email");
    expect(fields).toContain("body.password");
    expect(fields).toContain("body.role");
  });
});

// Raw: the typed client sends no Host of its choosing.
describe("tenant from the host", () => {
  test("with BASE_DOMAIN set, {slug}.BASE_DOMAIN names the tenant", async () => {
    const hosted = await testApp({ env: { BASE_DOMAIN: "saas.test" } });
    const tenant = await hosted.createTenant();
    const user = await hosted.createUser(tenant.id);

    const res = await hosted.call("POST", LOGIN, {
      body: { email: user.email, password: TEST_PASSWORD },
      host: `${tenant.slug}.saas.test`,
    });
    expect(res.status).toBe(200);

    const other = await hosted.createTenant();
    const me = await hosted.call("GET", "/api/v1/users/me", {
      token: res.body.accessToken,
      host: `${other.slug}.saas.test`,
    });
    expect(me.status).toBe(403);
    expect(me.body.code).toBe("TENANT_MISMATCH");
  });
});
