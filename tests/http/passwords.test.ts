import { beforeAll, describe, expect, test } from "bun:test";
import { and, desc, eq } from "drizzle-orm";
import { auditEvents, sessions, users } from "../../src/adapters/db/schema";
import { TEST_PASSWORD, type TestApp, testApp } from "../support/app";
import { tokenFromLink } from "../support/mailer";
import { everyLinkRefused, issueEveryLink, unusedLinks, useLinks } from "../support/one-time-links";
import { allowDatabaseStartup } from "../support/slow-setup";
import { problemOf } from "../support/typed-client";

allowDatabaseStartup();

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});

const NEW_PASSWORD = "A-Fresh-Passphrase-42";

async function signIn(role: "member" | "admin" = "member", tenant?: { id: string; slug: string }) {
  const where = tenant ?? (await t.createTenant());
  const user = await t.createUser(where.id, { role });
  const tokens = await t.login(where.slug, user.email);
  return { tenant: where, user, ...tokens, sessionId: t.signer.verify(tokens.accessToken, new Date())!.sid };
}

const storedHash = async (id: string) =>
  (await t.db.select().from(users).where(eq(users.id, id)))[0]!.passwordHash!;
const changePassword = (
  token: string,
  userId: string,
  body: { currentPassword?: string; newPassword: string },
) => t.api(token).users({ id: userId }).password.post(body);
const me = (token: string) => t.api(token).users.me.get();

describe("POST /users/{id}/password", () => {
  test("changing your own: the new password works, the old does not, other sessions end, this one stays", async () => {
    const s = await signIn();
    const other = await t.login(s.tenant.slug, s.user.email);

    const res = await changePassword(s.accessToken, s.user.id, {
      currentPassword: TEST_PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    expect(res.status).toBe(204);

    expect(await Bun.password.verify(NEW_PASSWORD, await storedHash(s.user.id))).toBe(true);
    const oldLogin = await t
      .api()
      .auth.login.post({ email: s.user.email, password: TEST_PASSWORD, tenant: s.tenant.slug });
    expect(oldLogin.status).toBe(401);
    await t.login(s.tenant.slug, s.user.email, NEW_PASSWORD);

    expect((await me(other.accessToken)).status).toBe(401);
    expect((await t.api().auth.refresh.post({ refreshToken: other.refreshToken })).status).toBe(401);
    expect((await me(s.accessToken)).status).toBe(200);
    const otherSessionId = t.signer.verify(other.accessToken, new Date())!.sid;
    const [row] = await t.db.select().from(sessions).where(eq(sessions.id, otherSessionId));
    expect(row!.revokedReason).toBe("password_changed");

    const events = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, s.tenant.id), eq(auditEvents.action, "user.password_changed")));
    expect(events).toHaveLength(1);
    expect(events[0]!.metadata).toEqual({ self: true, sessionsEnded: 1 });
    expect(JSON.stringify(events)).not.toContain(NEW_PASSWORD);
  });

  test("your own needs the current password, and a wrong one changes nothing", async () => {
    const s = await signIn();
    const before = await storedHash(s.user.id);
    const missing = await changePassword(s.accessToken, s.user.id, { newPassword: NEW_PASSWORD });
    expect(missing.status).toBe(422);
    expect(problemOf(missing)?.code).toBe("CURRENT_PASSWORD_REQUIRED");
    const wrong = await changePassword(s.accessToken, s.user.id, {
      currentPassword: "Not-The-Password-1",
      newPassword: NEW_PASSWORD,
    });
    expect(wrong.status).toBe(422);
    expect(problemOf(wrong)?.code).toBe("INVALID_CURRENT_PASSWORD");
    expect(await storedHash(s.user.id)).toBe(before);
  });

  test.each([
    ["too short", "Short-1", "at least 12"],
    ["too long", "x".repeat(129), "at most 128"],
    ["common", "passwordpassword", "too common"],
    ["the email", "", "email"],
  ])("a weak new password (%s) is 422 WEAK_PASSWORD and changes nothing", async (_, weak, reason) => {
    const s = await signIn();
    const before = await storedHash(s.user.id);
    const res = await changePassword(s.accessToken, s.user.id, {
      currentPassword: TEST_PASSWORD,
      newPassword: weak || s.user.email.toUpperCase(),
    });
    expect(res.status).toBe(422);
    expect(problemOf(res)?.code).toBe("WEAK_PASSWORD");
    expect(problemOf(res)?.detail).toContain(reason);
    expect(problemOf(res)?.errors).toEqual([{ field: "newPassword", message: expect.any(String) }]);
    expect(await storedHash(s.user.id)).toBe(before);
  });

  test("an admin sets a member's password without theirs, and every session of the member ends", async () => {
    const member = await signIn();
    const admin = await signIn("admin", member.tenant);
    const res = await changePassword(admin.accessToken, member.user.id, { newPassword: NEW_PASSWORD });
    expect(res.status).toBe(204);
    expect((await me(member.accessToken)).status).toBe(401);
    await t.login(member.tenant.slug, member.user.email, NEW_PASSWORD);
  });

  test("changing your own password discards every outstanding link of yours", async () => {
    const s = await signIn();
    const links = await issueEveryLink(t, s.user);
    const res = await changePassword(s.accessToken, s.user.id, {
      currentPassword: TEST_PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    expect(res.status).toBe(204);
    expect(await unusedLinks(t, s.user.id)).toEqual([]);
    expect(await useLinks(t, links)).toEqual(everyLinkRefused(links));
    expect(await Bun.password.verify(NEW_PASSWORD, await storedHash(s.user.id))).toBe(true);
  });

  test("an admin setting an invited user's password kills the invitation and ends the user's sessions", async () => {
    const admin = await signIn("admin");
    const invitee = `${t.unique("invitee")}@example.com`;
    const created = await t.api(admin.accessToken).users.post({ email: invitee });
    const invitation = tokenFromLink(await t.mail.waitFor(invitee));
    const userId = created.data!.id;
    const { email_verification, password_reset } = await issueEveryLink(t, {
      id: userId,
      tenantId: admin.tenant.id,
    });
    const links = { invitation, email_verification, password_reset };

    expect((await changePassword(admin.accessToken, userId, { newPassword: NEW_PASSWORD })).status).toBe(204);
    expect(await unusedLinks(t, userId)).toEqual([]);
    expect(await useLinks(t, links)).toEqual(everyLinkRefused(links));
    expect(await Bun.password.verify(NEW_PASSWORD, await storedHash(userId))).toBe(true);

    const session = await t.login(admin.tenant.slug, invitee, NEW_PASSWORD);
    const sessionId = t.signer.verify(session.accessToken, new Date())!.sid;
    const again = await changePassword(admin.accessToken, userId, { newPassword: "Second-Passphrase-88" });
    expect(again.status).toBe(204);
    expect((await me(session.accessToken)).status).toBe(401);
    const [row] = await t.db.select().from(sessions).where(eq(sessions.id, sessionId));
    expect(row!.revokedReason).toBe("password_changed");
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.tenantId, admin.tenant.id),
          eq(auditEvents.action, "user.password_changed"),
          eq(auditEvents.resourceId, userId),
        ),
      )
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    expect(event!.metadata).toEqual({ self: false, sessionsEnded: 1 });
  });

  test("a member cannot set another member's password", async () => {
    const victim = await signIn();
    const attacker = await signIn("member", victim.tenant);
    const before = await storedHash(victim.user.id);
    const res = await changePassword(attacker.accessToken, victim.user.id, { newPassword: NEW_PASSWORD });
    expect(res.status).toBe(403);
    expect(await storedHash(victim.user.id)).toBe(before);
  });

  test("an admin cannot set another admin's password", async () => {
    const victim = await signIn("admin");
    const attacker = await signIn("admin", victim.tenant);
    const before = await storedHash(victim.user.id);
    const res = await changePassword(attacker.accessToken, victim.user.id, { newPassword: NEW_PASSWORD });
    expect(res.status).toBe(403);
    expect(await storedHash(victim.user.id)).toBe(before);
  });

  test("an admin cannot set the password of a user in another tenant", async () => {
    const stranger = await signIn();
    const admin = await signIn("admin");
    const before = await storedHash(stranger.user.id);
    const res = await changePassword(admin.accessToken, stranger.user.id, { newPassword: NEW_PASSWORD });
    expect(res.status).toBe(404);
    expect(await storedHash(stranger.user.id)).toBe(before);
  });

  test("the password never travels in the query string and unknown fields are refused", async () => {
    const s = await signIn();
    // Raw: an unknown field is outside the request type, which is the point.
    const res = await t.call("POST", `/api/v1/users/${s.user.id}/password`, {
      token: s.accessToken,
      body: { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, role: "admin" },
    });
    expect(res.status).toBe(422);
  });
});

describe("hash upgrades", () => {
  test("a hash made at an older cost is replaced at the next successful login", async () => {
    const upgraded = await testApp({ env: { BCRYPT_COST: "5" } });
    const tenant = await upgraded.createTenant();
    const user = await upgraded.createUser(tenant.id);
    const oldHash = await Bun.password.hash(TEST_PASSWORD, { algorithm: "bcrypt", cost: 4 });
    await upgraded.db.update(users).set({ passwordHash: oldHash }).where(eq(users.id, user.id));

    await upgraded.login(tenant.slug, user.email);
    const [row] = await upgraded.db.select().from(users).where(eq(users.id, user.id));
    expect(row!.passwordHash).toStartWith("$2b$05$");
    expect(await Bun.password.verify(TEST_PASSWORD, row!.passwordHash!)).toBe(true);
  });
});
