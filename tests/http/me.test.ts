import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { sessions, tenants, users } from "../../src/adapters/db/schema";
import { hs256Signer } from "../../src/adapters/security/hs256-signer";
import { cacheKeys } from "../../src/core/domain/cache-keys";
import { type TestApp, testApp } from "../support/app";
import { allowDatabaseStartup } from "../support/slow-setup";
import { problemOf } from "../support/typed-client";

allowDatabaseStartup();

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});

const me = (token?: string, headers: Record<string, string> = {}) => t.api(token, headers).users.me.get();

async function signedInUser() {
  const tenant = await t.createTenant();
  const user = await t.createUser(tenant.id, { role: "admin" });
  const tokens = await t.login(tenant.slug, user.email);
  const claims = t.signer.verify(tokens.accessToken, new Date())!;
  return { tenant, user, token: tokens.accessToken, sessionId: claims.sid };
}

function expectUnauthorized(res: Awaited<ReturnType<typeof me>>) {
  expect(res.status).toBe(401);
  expect(res.response.headers.get("www-authenticate")).toStartWith("Bearer");
  expect(problemOf(res)?.code).toBe("INVALID_TOKEN");
}

describe("GET /api/v1/users/me", () => {
  test("returns the signed-in user, never a password hash", async () => {
    const { user, token, tenant } = await signedInUser();
    const res = await me(token);
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      id: user.id,
      tenantId: tenant.id,
      email: user.email,
      role: "admin",
      isActive: true,
      emailVerified: false,
    });
    expect(res.data?.lastLoginAt).toBeString();
    expect(JSON.stringify(res.data)).not.toMatch(/\$2[aby]\$|password/i);
  });

  test("the seeded platform admin can log in and read /me", async () => {
    await t.useCases.seedPlatform({ adminEmail: "admin@example.com", adminPassword: "SuperAdmin123!" });
    const res = await t.api().auth.login.post({ email: "admin@example.com", password: "SuperAdmin123!" });
    expect(res.status).toBe(200);
    const own = await me((res.data as { accessToken: string }).accessToken);
    expect(own.data).toMatchObject({ email: "admin@example.com", role: "super_admin", emailVerified: true });
  });

  test("no token, a malformed header or a garbage token is 401 with WWW-Authenticate", async () => {
    expectUnauthorized(await me());
    expectUnauthorized(await me(undefined, { authorization: "Basic YTpi" }));
    expectUnauthorized(await me("not.a.jwt"));
  });

  test("a token signed with another secret is 401", async () => {
    const { user, tenant, sessionId } = await signedInUser();
    const forger = hs256Signer({
      secret: "x".repeat(40),
      issuer: t.config.auth.issuer,
      audience: t.config.auth.audience,
      ttlSeconds: 900,
    });
    const forged = forger.sign(
      { sub: user.id, tid: tenant.id, sid: sessionId, role: "super_admin" },
      new Date(),
    );
    expectUnauthorized(await me(forged));
  });

  test("an expired token is 401", async () => {
    const { user, tenant, sessionId } = await signedInUser();
    const old = t.signer.sign(
      { sub: user.id, tid: tenant.id, sid: sessionId, role: "admin" },
      new Date(Date.now() - 3_600_000),
    );
    expectUnauthorized(await me(old));
  });

  test("a token for a session that does not exist is 401", async () => {
    const { user, tenant } = await signedInUser();
    const token = t.signer.sign(
      { sub: user.id, tid: tenant.id, sid: t.ids.next(), role: "admin" },
      new Date(),
    );
    expectUnauthorized(await me(token));
  });

  test("a token whose subject is not the session's user is 401", async () => {
    const { tenant, sessionId } = await signedInUser();
    const other = await t.createUser(tenant.id);
    const token = t.signer.sign({ sub: other.id, tid: tenant.id, sid: sessionId, role: "admin" }, new Date());
    expectUnauthorized(await me(token));
  });

  test("a revoked session stops working at once", async () => {
    const { token, sessionId } = await signedInUser();
    expect((await me(token)).status).toBe(200);
    await t.db.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.id, sessionId));
    await t.cache.delete(cacheKeys.session(sessionId));
    expectUnauthorized(await me(token));
  });

  test("a deactivated user is refused (once the cache is told)", async () => {
    const { token, user } = await signedInUser();
    await t.db.update(users).set({ isActive: false }).where(eq(users.id, user.id));
    await t.cache.delete(cacheKeys.user(user.id));
    expectUnauthorized(await me(token));
  });

  test("a profile change through the API shows at once, though the profile is cached", async () => {
    const { tenant, token } = await signedInUser();
    const member = await t.createUser(tenant.id, { role: "member" });
    const own = (await t.login(tenant.slug, member.email)).accessToken;
    expect((await me(own)).data?.firstName).toBeNull();
    const put = await t.api(token).users({ id: member.id }).put({ firstName: "Ada" });
    expect(put.status).toBe(200);
    expect((await me(own)).data?.firstName).toBe("Ada");
  });

  test("the cached profile is the user's own tenant's: another tenant's principal never gets it", async () => {
    const { user } = await signedInUser();
    const { tenant: other } = await signedInUser();
    const found = await t.useCases
      .getCurrentUser({ principal: { userId: user.id, tenantId: other.id, sessionId: "s", role: "admin" } })
      .catch((error: Error) => error.name);
    expect(found).toBe("UnauthorizedError");
  });

  test("a token of tenant A sent to tenant B is 403 TENANT_MISMATCH", async () => {
    const { token } = await signedInUser();
    const other = await t.createTenant();
    const res = await me(token, { "x-tenant": other.slug });
    expect(res.status).toBe(403);
    expect(problemOf(res)?.code).toBe("TENANT_MISMATCH");
  });

  test("naming the token's own tenant in X-Tenant is accepted", async () => {
    const { token, tenant } = await signedInUser();
    expect((await me(token, { "x-tenant": tenant.slug })).status).toBe(200);
  });

  test("once its tenant is suspended (and the cache told), the token is refused with 403", async () => {
    const { token, tenant } = await signedInUser();
    await t.db.update(tenants).set({ status: "suspended" }).where(eq(tenants.id, tenant.id));
    await t.cache.delete(cacheKeys.tenantById(tenant.id), cacheKeys.tenantBySlug(tenant.slug));
    const res = await me(token);
    expect(res.status).toBe(403);
    expect(problemOf(res)?.code).toBe("TENANT_INACTIVE");
  });

  test("the request log names the tenant and user but never the token", async () => {
    const { token, user, tenant } = await signedInUser();
    await me(token, { "x-request-id": "me-log-check" });
    const line = await t.logger.waitFor((l) => l.fields.requestId === "me-log-check");
    expect(line?.fields).toMatchObject({
      route: "/api/v1/users/me",
      status: 200,
      tenantId: tenant.id,
      userId: user.id,
    });
    expect(JSON.stringify(t.logger.lines)).not.toContain(token);
  });
});
