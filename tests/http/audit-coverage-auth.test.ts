/**
 * Every security-relevant action of signing in and of accounts produces exactly one audit event with
 * the right fields. Each test marks the chain, acts, and reads what was appended.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { sessions } from "../../src/adapters/db/schema";
import { TEST_PASSWORD, type TestApp, testApp } from "../support/app";
import { eventsOf, expectNoSecrets } from "../support/audit";
import { manualClock } from "../support/clock";
import { tokenFromLink } from "../support/mailer";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const clock = manualClock();
const NEW_PASSWORD = "A-Fresh-Passphrase-42";
const client = { "user-agent": "coverage-test/1.0", "x-request-id": "coverage-req-1" };
let t: TestApp;
beforeAll(async () => {
  t = await testApp({ clock });
});

async function account(role: "member" | "admin" = "member", fields: { password?: string | null } = {}) {
  const tenant = await t.createTenant();
  const user = await t.createUser(tenant.id, { role, ...fields });
  return { tenant, user };
}

const loginAs = (slug: string, email: string, password: string) =>
  t.api(undefined, client).auth.login.post({ email, password, tenant: slug });

describe("sign-in events", () => {
  test("a login: auth.login.succeeded by the user, on the new session, with the request's origin", async () => {
    const { tenant, user } = await account();
    let body: { refreshToken?: string; accessToken: string } | undefined;
    const events = await eventsOf(t.db, tenant.id, async () => {
      const res = await loginAs(tenant.slug, user.email, TEST_PASSWORD);
      expect(res.status).toBe(200);
      body = res.data as { refreshToken?: string; accessToken: string };
    });
    const [session] = await t.db.select().from(sessions).where(eq(sessions.userId, user.id));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "auth.login.succeeded",
      outcome: "success",
      actorType: "user",
      actorId: user.id,
      actorDisplay: user.email,
      resourceType: "session",
      resourceId: session!.id,
      userAgent: "coverage-test/1.0",
      requestId: "coverage-req-1",
      metadata: {},
    });
    expectNoSecrets(events, [TEST_PASSWORD, body!.refreshToken!, body!.accessToken]);
  });

  test.each([
    ["wrong_password", "member", "Wrong-Password-99"],
    ["unknown_email", "unknown", TEST_PASSWORD],
    ["no_password", "invited", TEST_PASSWORD],
    ["user_inactive", "inactive", TEST_PASSWORD],
  ])("a failed login (%s): one auth.login.failed with its reason", async (reason, kind, password) => {
    const tenant = await t.createTenant();
    const user =
      kind === "unknown"
        ? null
        : await t.createUser(tenant.id, {
            password: kind === "invited" ? null : TEST_PASSWORD,
            isActive: kind !== "inactive",
          });
    const email = user?.email ?? `${t.unique("ghost")}@example.com`;
    const events = await eventsOf(t.db, tenant.id, async () => {
      expect((await loginAs(tenant.slug, email, password)).status).toBe(401);
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "auth.login.failed",
      outcome: "failure",
      actorType: "user",
      actorId: user?.id ?? null,
      actorDisplay: email,
      resourceType: "user",
      resourceId: user?.id ?? null,
      metadata: { reason },
    });
    expectNoSecrets(events, [password]);
  });

  test("a logout: one auth.logout of the current session", async () => {
    const { tenant, user } = await account();
    const session = await t.login(tenant.slug, user.email);
    const events = await eventsOf(t.db, tenant.id, async () => {
      expect((await t.api(session.accessToken).auth.logout.post()).status).toBe(204);
    });
    const [row] = await t.db.select().from(sessions).where(eq(sessions.userId, user.id));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "auth.logout",
      outcome: "success",
      actorId: user.id,
      resourceType: "session",
      resourceId: row!.id,
      metadata: { reason: "logout", sessionIds: [row!.id] },
    });
  });

  test("refresh-token reuse: one auth.refresh.reused, denied, and a plain refresh records nothing", async () => {
    const { tenant, user } = await account();
    const session = await t.login(tenant.slug, user.email);
    const rotate = () => t.api().auth.refresh.post({ refreshToken: session.refreshToken });
    expect(await eventsOf(t.db, tenant.id, async () => expect((await rotate()).status).toBe(200))).toEqual(
      [],
    );
    clock.advance(11);
    const events = await eventsOf(t.db, tenant.id, async () => expect((await rotate()).status).toBe(401));
    expect(events.map((e) => [e.action, e.outcome, e.actorId])).toEqual([
      ["auth.refresh.reused", "denied", user.id],
    ]);
    expectNoSecrets(events, [session.refreshToken]);
  });

  test("a rate-limit trip: one abuse.rate_limited for the first refusal of the minute, the next only counted", async () => {
    const limited = await testApp({ env: { RATE_LIMIT_IP_LIMIT: "1" }, clock });
    const tenant = await limited.createTenant();
    const user = await limited.createUser(tenant.id);
    const attempt = () =>
      limited.api().auth.login.post({ email: user.email, password: TEST_PASSWORD, tenant: tenant.slug });
    expect((await attempt()).status).toBe(200);
    const events = await eventsOf(t.db, tenant.id, async () => {
      expect((await attempt()).status).toBe(429);
      expect((await attempt()).status).toBe(429);
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "abuse.rate_limited",
      outcome: "denied",
      resourceType: "endpoint",
      resourceId: "login",
      metadata: { scope: "ip", count: 1, summary: false },
    });
  });
});

describe("session events", () => {
  test("ending one session and all sessions of a user: one session.revoked each", async () => {
    const tenant = await t.createTenant();
    const admin = await t.createUser(tenant.id, { role: "admin" });
    const member = await t.createUser(tenant.id);
    const { accessToken } = await t.login(tenant.slug, admin.email);
    await t.login(tenant.slug, member.email);
    await t.login(tenant.slug, member.email);
    const live = await t.db.select().from(sessions).where(eq(sessions.userId, member.id));

    const one = await eventsOf(t.db, tenant.id, async () => {
      const res = await t
        .api(accessToken)
        .users({ id: member.id })
        .sessions({ sessionId: live[0]!.id })
        .delete();
      expect(res.status).toBe(204);
    });
    expect(one).toHaveLength(1);
    expect(one[0]).toMatchObject({
      action: "session.revoked",
      actorId: admin.id,
      resourceType: "session",
      resourceId: live[0]!.id,
      metadata: { reason: "revoked_by_admin", sessionIds: [live[0]!.id] },
    });

    const all = await eventsOf(t.db, tenant.id, async () => {
      const res = await t.api(accessToken).users({ id: member.id }).sessions.delete();
      expect(res.data).toEqual({ revoked: 1 });
    });
    expect(all.map((e) => [e.action, e.resourceType, e.resourceId])).toEqual([
      ["session.revoked", "session", live[1]!.id],
    ]);
  });
});

describe("account events", () => {
  test("a password change: one user.password_changed, no password or hash in it", async () => {
    const { tenant, user } = await account();
    const { accessToken } = await t.login(tenant.slug, user.email);
    await t.login(tenant.slug, user.email);
    const events = await eventsOf(t.db, tenant.id, async () => {
      const res = await t
        .api(accessToken)
        .users({ id: user.id })
        .password.post({ currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD });
      expect(res.status).toBe(204);
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "user.password_changed",
      actorId: user.id,
      resourceId: user.id,
      metadata: { self: true, sessionsEnded: 1 },
    });
    expectNoSecrets(events, [TEST_PASSWORD, NEW_PASSWORD]);
  });

  test("a password reset: one event when asked, one when completed", async () => {
    const { tenant, user } = await account();
    const requested = await eventsOf(t.db, tenant.id, async () => {
      await t.api().auth["forgot-password"].post({ email: user.email, tenant: tenant.slug });
      await t.mail.waitFor(user.email);
    });
    expect(requested.map((e) => [e.action, e.resourceId])).toEqual([
      ["auth.password_reset.requested", user.id],
    ]);
    const token = tokenFromLink(await t.mail.waitFor(user.email));
    const completed = await eventsOf(t.db, tenant.id, async () => {
      const res = await t.api().auth["reset-password"].post({ token, newPassword: NEW_PASSWORD });
      expect(res.status).toBe(204);
    });
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({
      action: "auth.password_reset.completed",
      actorId: user.id,
      resourceId: user.id,
      metadata: { sessionsEnded: 0 },
    });
    expectNoSecrets([...requested, ...completed], [token, NEW_PASSWORD]);
  });

  test("an email verification: one user.email_verified", async () => {
    const { tenant, user } = await account();
    await t.api().auth["resend-verification"].post({ email: user.email, tenant: tenant.slug });
    const token = tokenFromLink(await t.mail.waitFor(user.email));
    const events = await eventsOf(t.db, tenant.id, async () => {
      expect((await t.api().auth["verify-email"].post({ token })).status).toBe(200);
    });
    expect(events.map((e) => [e.action, e.actorId, e.resourceId])).toEqual([
      ["user.email_verified", user.id, user.id],
    ]);
  });

  test("an email change: one event when asked, one when the new address confirms", async () => {
    const { tenant, user } = await account();
    const { accessToken } = await t.login(tenant.slug, user.email);
    const newEmail = `new-${user.email}`;
    const requested = await eventsOf(t.db, tenant.id, async () => {
      const res = await t
        .api(accessToken)
        .users({ id: user.id })
        .email.patch({ newEmail, currentPassword: TEST_PASSWORD });
      expect(res.status).toBe(202);
    });
    expect(requested).toHaveLength(1);
    expect(requested[0]).toMatchObject({
      action: "user.email_change.requested",
      actorId: user.id,
      resourceId: user.id,
      metadata: { newEmail },
    });
    const token = tokenFromLink(await t.mail.waitFor(newEmail));
    const confirmed = await eventsOf(t.db, tenant.id, async () => {
      expect((await t.api().auth["confirm-email-update"].post({ token })).status).toBe(200);
    });
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0]).toMatchObject({
      action: "user.email_changed",
      actorId: user.id,
      actorDisplay: newEmail,
      metadata: { before: user.email, after: newEmail },
    });
    expectNoSecrets([...requested, ...confirmed], [token, TEST_PASSWORD]);
  });

  test("an accepted invitation: one user.invitation_accepted", async () => {
    const tenant = await t.createTenant();
    const admin = await t.createUser(tenant.id, { role: "admin" });
    const { accessToken } = await t.login(tenant.slug, admin.email);
    const email = `${t.unique("invited")}@example.com`;
    const created = await t.api(accessToken).users.post({ email });
    const token = tokenFromLink(await t.mail.waitFor(email));
    const events = await eventsOf(t.db, tenant.id, async () => {
      const res = await t.api().auth["accept-invitation"].post({ token, newPassword: NEW_PASSWORD });
      expect(res.status).toBe(204);
    });
    expect(events.map((e) => [e.action, e.actorId, e.resourceId])).toEqual([
      ["user.invitation_accepted", created.data!.id, created.data!.id],
    ]);
    expectNoSecrets(events, [token, NEW_PASSWORD]);
  });
});
