import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { auditEvents, sessions, userMfa } from "../../src/adapters/db/schema";
import { TEST_PASSWORD, type TestApp, testApp } from "../support/app";
import { manualClock } from "../support/clock";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const clock = manualClock();
let t: TestApp;
beforeAll(async () => {
  t = await testApp({ clock });
});

const codeNow = (secret: string) =>
  new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: clock.now().getTime() });

const setPolicy = (tenantId: string, token: string, mfaRequired: string) =>
  t.call("PUT", `/api/v1/tenants/${tenantId}`, { token, body: { settings: { mfaRequired } } });

const loginBody = (slug: string, email: string) =>
  t.call("POST", "/api/v1/auth/login", { body: { email, password: TEST_PASSWORD, tenant: slug } });

/** Enrols and confirms TOTP with the session's token; returns the secret. */
async function enrol(token: string) {
  const started = await t.call("POST", "/api/v1/users/me/mfa/totp", {
    token,
    body: { password: TEST_PASSWORD },
  });
  expect(started.status).toBe(200);
  const confirmed = await t.call("POST", "/api/v1/users/me/mfa/totp/confirm", {
    token,
    body: { code: codeNow(started.body.secret) },
  });
  expect(confirmed.status).toBe(200);
  clock.advance(30);
  return started.body.secret as string;
}

describe("tenant policy mfaRequired", () => {
  test("a tenant admin sets it (audited); an unknown value is 422", async () => {
    const { tenant, admin } = await t.team();
    expect((await setPolicy(tenant.id, admin.accessToken, "sometimes")).status).toBe(422);
    const res = await setPolicy(tenant.id, admin.accessToken, "admins");
    expect(res.status).toBe(200);
    expect(res.body.settings).toEqual({ mfaRequired: "admins" });
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, "tenant.updated")));
    expect(events.length).toBeGreaterThanOrEqual(1);
  });

  test("attack: a user in scope without MFA gets a session that can only enrol, refresh included; confirming releases it", async () => {
    const { tenant, admin, member } = await t.team();
    await setPolicy(tenant.id, admin.accessToken, "admins");

    const login = await loginBody(tenant.slug, admin.email);
    expect(login.body.mfaEnrollmentRequired).toBe(true);
    const { accessToken, refreshToken } = login.body;
    const denied = await t.call("GET", "/api/v1/users", { token: accessToken });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe("MFA_ENROLLMENT_REQUIRED");
    expect((await t.call("GET", "/api/v1/users/me", { token: accessToken })).status).toBe(200);

    const refreshed = await t.call("POST", "/api/v1/auth/refresh", { body: { refreshToken } });
    expect(refreshed.status).toBe(200);
    const stillDenied = await t.call("GET", "/api/v1/users", { token: refreshed.body.accessToken });
    expect(stillDenied.body.code).toBe("MFA_ENROLLMENT_REQUIRED");

    // A member is not in the `admins` scope.
    expect((await loginBody(tenant.slug, member.email)).body.mfaEnrollmentRequired).toBeUndefined();

    await enrol(accessToken);
    expect((await t.call("GET", "/api/v1/users", { token: accessToken })).status).toBe(200);
    expect((await t.call("GET", "/api/v1/users", { token: refreshed.body.accessToken })).status).toBe(200);
    const sid = t.signer.verify(accessToken, clock.now())!.sid;
    const [session] = await t.db.select().from(sessions).where(eq(sessions.id, sid));
    expect(session).toMatchObject({ mfa: true, mfaEnrollmentRequired: false });
  });

  test("a user the policy covers cannot turn MFA off", async () => {
    const { tenant, admin } = await t.team();
    const secret = await enrol(admin.accessToken);
    await setPolicy(tenant.id, admin.accessToken, "all");
    const res = await t.call("DELETE", "/api/v1/users/me/mfa/totp", {
      token: admin.accessToken,
      body: { password: TEST_PASSWORD, code: codeNow(secret) },
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("MFA_REQUIRED_BY_TENANT");
  });
});

describe("DELETE /api/v1/users/{id}/mfa (admin reset)", () => {
  test("an admin resets a member's MFA: the factor goes, their sessions end, they are told, it is audited", async () => {
    const { tenant, admin, member } = await t.team();
    await enrol(member.accessToken);

    const res = await t.call("DELETE", `/api/v1/users/${member.id}/mfa`, { token: admin.accessToken });

    expect(res.status).toBe(204);
    expect(await t.db.select().from(userMfa).where(eq(userMfa.userId, member.id))).toHaveLength(0);
    expect((await t.call("GET", "/api/v1/users/me", { token: member.accessToken })).status).toBe(401);
    expect(t.mail.to(member.email).at(-1)?.subject).toBe("Your two-factor sign-in was reset");
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, "mfa.reset")));
    expect(event).toMatchObject({ actorId: admin.id, resourceId: member.id });
    expect((await loginBody(tenant.slug, member.email)).body.accessToken).toEqual(expect.any(String));
  });

  test("attack: a member cannot reset an admin, nor an admin themself, nor another tenant's admin anyone", async () => {
    const { admin, member } = await t.team();
    await enrol(admin.accessToken);
    const byMember = await t.call("DELETE", `/api/v1/users/${admin.id}/mfa`, { token: member.accessToken });
    expect(byMember.status).toBe(403);
    const self = await t.call("DELETE", `/api/v1/users/${admin.id}/mfa`, { token: admin.accessToken });
    expect(self.body.code).toBe("MFA_RESET_SELF");
    const other = await t.team();
    const foreign = await t.call("DELETE", `/api/v1/users/${admin.id}/mfa`, {
      token: other.admin.accessToken,
    });
    expect(foreign.status).toBe(404);
    expect(await t.db.select().from(userMfa).where(eq(userMfa.userId, admin.id))).toHaveLength(1);
  });
});
