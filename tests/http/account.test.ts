import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents, oneTimeTokens, sessions, users } from "../../src/adapters/db/schema";
import { hashSecretToken } from "../../src/core/domain/secret-token";
import { TEST_PASSWORD, type TestApp, testApp } from "../support/app";
import { manualClock } from "../support/clock";
import { tokenFromLink } from "../support/mailer";
import { everyLinkRefused, issueEveryLink, unusedLinks, useLinks } from "../support/one-time-links";
import { allowDatabaseStartup } from "../support/slow-setup";
import { problemOf } from "../support/typed-client";

allowDatabaseStartup();

const clock = manualClock();
let t: TestApp;
beforeAll(async () => {
  t = await testApp({
    clock,
    env: { PUBLIC_URL: "https://api.saas.test", APP_URL: "https://app.saas.test" },
  });
});

const NEW_PASSWORD = "A-Fresh-Passphrase-42";
const userRow = async (id: string) => (await t.db.select().from(users).where(eq(users.id, id)))[0]!;
const auditOf = async (tenantId: string, action: string) =>
  t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, action)));
const withoutRequestId = ({ requestId: _, ...rest }: Record<string, unknown>) => rest;

const resendVerification = (email: string, tenant: string) =>
  t.api().auth["resend-verification"].post({ email, tenant });
const forgotPassword = (email: string, tenant: string) =>
  t.api().auth["forgot-password"].post({ email, tenant });
const resetPassword = (token: string, newPassword: string) =>
  t.api().auth["reset-password"].post({ token, newPassword });
const verifyEmail = (token: string) => t.api().auth["verify-email"].post({ token });
const confirmEmailUpdate = (token: string) => t.api().auth["confirm-email-update"].post({ token });
const acceptInvitation = (token: string, newPassword: string) =>
  t.api().auth["accept-invitation"].post({ token, newPassword });
const changeEmail = (token: string, userId: string, body: { newEmail: string; currentPassword?: string }) =>
  t.api(token).users({ id: userId }).email.patch(body);
const me = (token: string) => t.api(token).users.me.get();

async function newUser(
  fields: { role?: "member" | "admin"; isActive?: boolean } = {},
  tenant?: { id: string; slug: string },
) {
  const where = tenant ?? (await t.createTenant());
  const user = await t.createUser(where.id, fields);
  return { tenant: where, user };
}

describe("email verification", () => {
  test("resend mails a single-use link to PUBLIC_URL; only the token's hash is stored", async () => {
    const { tenant, user } = await newUser();
    const res = await resendVerification(user.email, tenant.slug);
    expect(res.status).toBe(202);

    const mail = await t.mail.waitFor(user.email);
    expect(mail.text).toContain("https://api.saas.test/api/v1/auth/verify-email?token=");
    const token = tokenFromLink(mail);
    const rows = await t.db.select().from(oneTimeTokens).where(eq(oneTimeTokens.userId, user.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      purpose: "email_verification",
      tokenHash: hashSecretToken(token),
      usedAt: null,
    });
    expect(rows[0]!.expiresAt.getTime() - clock.now().getTime()).toBe(86_400_000);
  });

  test("opening the link verifies the address, shows a page, and is audited; a second use fails", async () => {
    const { tenant, user } = await newUser();
    await resendVerification(user.email, tenant.slug);
    const token = tokenFromLink(await t.mail.waitFor(user.email));

    // Raw: the link opens an HTML page, not JSON.
    const page = await t.call("GET", `/api/v1/auth/verify-email?token=${encodeURIComponent(token)}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toStartWith("text/html");
    expect(page.body).toContain("verified");
    expect((await userRow(user.id)).emailVerifiedAt).toEqual(clock.now());
    expect(await auditOf(tenant.id, "user.email_verified")).toHaveLength(1);

    const again = await t.call("GET", `/api/v1/auth/verify-email?token=${encodeURIComponent(token)}`);
    expect(again.status).toBe(400);
    expect(again.body).toContain("does not work");
  });

  test("POST /verify-email answers JSON; a bad token is 422 INVALID_TOKEN", async () => {
    const { tenant, user } = await newUser();
    await resendVerification(user.email, tenant.slug);
    const token = tokenFromLink(await t.mail.waitFor(user.email));
    expect((await verifyEmail(token)).data).toEqual({
      verified: true,
      email: user.email,
    });
    const bad = await verifyEmail("x".repeat(43));
    expect(bad.status).toBe(422);
    expect(problemOf(bad)?.code).toBe("INVALID_TOKEN");
  });

  test("a newer link replaces the older one", async () => {
    const { tenant, user } = await newUser();
    await resendVerification(user.email, tenant.slug);
    const first = tokenFromLink(await t.mail.waitFor(user.email));
    await resendVerification(user.email, tenant.slug);
    await waitUntil(() => t.mail.to(user.email).length === 2);
    const second = tokenFromLink(t.mail.to(user.email)[1]!);
    expect((await verifyEmail(first)).status).toBe(422);
    expect((await verifyEmail(second)).status).toBe(200);
  });

  test("an expired link does not verify", async () => {
    const { tenant, user } = await newUser();
    await resendVerification(user.email, tenant.slug);
    const token = tokenFromLink(await t.mail.waitFor(user.email));
    clock.advance(86_401);
    expect((await verifyEmail(token)).status).toBe(422);
    expect((await userRow(user.id)).emailVerifiedAt).toBeNull();
  });

  test("resend answers the same for unknown, verified and unverified addresses, and mails only the last", async () => {
    const { tenant, user } = await newUser();
    const verified = await t.createUser(tenant.id);
    await t.db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, verified.id));
    const unknown = `nobody-${user.email}`;

    const answers: unknown[] = [];
    for (const email of [unknown, verified.email, user.email]) {
      const res = await resendVerification(email, tenant.slug);
      answers.push({ status: res.status, body: withoutRequestId({ ...res.data }) });
    }
    expect(answers[1]).toEqual(answers[0]!);
    expect(answers[2]).toEqual(answers[0]!);
    await t.mail.waitFor(user.email);
    await Bun.sleep(50);
    expect(t.mail.to(unknown)).toEqual([]);
    expect(t.mail.to(verified.email)).toEqual([]);
  });
});

describe("password reset", () => {
  test("forgot-password mails an APP_URL link; reset sets the password, ends every session, and is audited", async () => {
    const { tenant, user } = await newUser();
    const session = await t.login(tenant.slug, user.email);
    const res = await forgotPassword(user.email, tenant.slug);
    expect(res.status).toBe(202);
    const mail = await t.mail.waitFor(user.email);
    expect(mail.text).toContain("https://app.saas.test/reset-password?token=");

    const reset = await resetPassword(tokenFromLink(mail), NEW_PASSWORD);
    expect(reset.status).toBe(204);
    await t.login(tenant.slug, user.email, NEW_PASSWORD);
    const old = await t
      .api()
      .auth.login.post({ email: user.email, password: TEST_PASSWORD, tenant: tenant.slug });
    expect(old.status).toBe(401);
    expect((await me(session.accessToken)).status).toBe(401);
    const sid = t.signer.verify(session.accessToken, clock.now())!.sid;
    expect((await t.db.select().from(sessions).where(eq(sessions.id, sid)))[0]!.revokedReason).toBe(
      "password_reset",
    );
    expect(await auditOf(tenant.id, "auth.password_reset.completed")).toHaveLength(1);
  });

  test("a reset link works once", async () => {
    const { tenant, user } = await newUser();
    await forgotPassword(user.email, tenant.slug);
    const token = tokenFromLink(await t.mail.waitFor(user.email));
    expect((await resetPassword(token, NEW_PASSWORD)).status).toBe(204);
    const again = await resetPassword(token, "Another-Passphrase-77");
    expect(again.status).toBe(422);
    expect(problemOf(again)?.code).toBe("INVALID_TOKEN");
    expect(await Bun.password.verify(NEW_PASSWORD, (await userRow(user.id)).passwordHash!)).toBe(true);
  });

  test("a weak new password is 422 WEAK_PASSWORD and leaves the link usable", async () => {
    const { tenant, user } = await newUser();
    await forgotPassword(user.email, tenant.slug);
    const token = tokenFromLink(await t.mail.waitFor(user.email));
    const weak = await resetPassword(token, "short");
    expect(weak.status).toBe(422);
    expect(problemOf(weak)?.code).toBe("WEAK_PASSWORD");
    expect((await resetPassword(token, NEW_PASSWORD)).status).toBe(204);
  });

  test("a reset link expires after PASSWORD_RESET_TTL_SECONDS", async () => {
    const { tenant, user } = await newUser();
    await forgotPassword(user.email, tenant.slug);
    const token = tokenFromLink(await t.mail.waitFor(user.email));
    clock.advance(3_601);
    expect((await resetPassword(token, NEW_PASSWORD)).status).toBe(422);
  });

  test("a verification token is not a reset token", async () => {
    const { tenant, user } = await newUser();
    await resendVerification(user.email, tenant.slug);
    const token = tokenFromLink(await t.mail.waitFor(user.email));
    expect((await resetPassword(token, NEW_PASSWORD)).status).toBe(422);
  });

  test("forgot-password answers the same for unknown and deactivated addresses and mails nothing", async () => {
    const { tenant, user } = await newUser();
    const inactive = await t.createUser(tenant.id, { isActive: false });
    const unknown = `nobody-${user.email}`;
    const answers: unknown[] = [];
    for (const email of [user.email, unknown, inactive.email]) {
      const res = await forgotPassword(email, tenant.slug);
      answers.push({ status: res.status, body: withoutRequestId({ ...res.data }) });
    }
    expect(answers[1]).toEqual(answers[0]!);
    expect(answers[2]).toEqual(answers[0]!);
    await t.mail.waitFor(user.email);
    await Bun.sleep(50);
    expect(t.mail.to(unknown)).toEqual([]);
    expect(t.mail.to(inactive.email)).toEqual([]);
    expect(await t.db.select().from(oneTimeTokens).where(eq(oneTimeTokens.userId, inactive.id))).toEqual([]);
  });
});

describe("email change", () => {
  test("the address changes only when the new one confirms; the old one is told; it is audited", async () => {
    const { tenant, user } = await newUser();
    const { accessToken } = await t.login(tenant.slug, user.email);
    const newEmail = `new-${user.email}`;

    const res = await changeEmail(accessToken, user.id, { newEmail, currentPassword: TEST_PASSWORD });
    expect(res.status).toBe(202);
    expect((await userRow(user.id)).email).toBe(user.email);
    const confirmation = await t.mail.waitFor(newEmail);
    expect(confirmation.text).toContain("https://api.saas.test/api/v1/auth/confirm-email-update?token=");

    const page = await t.call(
      "GET",
      `/api/v1/auth/confirm-email-update?token=${encodeURIComponent(tokenFromLink(confirmation))}`,
    );
    expect(page.status).toBe(200);
    expect(await userRow(user.id)).toMatchObject({ email: newEmail, emailVerifiedAt: clock.now() });
    expect((await t.mail.waitFor(user.email)).subject).toBe("Your email address was changed");
    await t.login(tenant.slug, newEmail);
    const [event] = await auditOf(tenant.id, "user.email_changed");
    expect(event!.metadata).toEqual({ before: user.email, after: newEmail });
  });

  test("a confirmation link works once", async () => {
    const { tenant, user } = await newUser();
    const { accessToken } = await t.login(tenant.slug, user.email);
    const newEmail = `once-${user.email}`;
    await changeEmail(accessToken, user.id, { newEmail, currentPassword: TEST_PASSWORD });
    const token = tokenFromLink(await t.mail.waitFor(newEmail));
    expect((await confirmEmailUpdate(token)).data).toEqual({
      changed: true,
      email: newEmail,
    });
    expect((await confirmEmailUpdate(token)).status).toBe(422);
  });

  test("an address taken in the tenant is 409; the same address is 422; nothing is mailed", async () => {
    const { tenant, user } = await newUser();
    const other = await t.createUser(tenant.id);
    const { accessToken } = await t.login(tenant.slug, user.email);
    const taken = await changeEmail(accessToken, user.id, {
      newEmail: other.email,
      currentPassword: TEST_PASSWORD,
    });
    expect(taken.status).toBe(409);
    expect(problemOf(taken)?.code).toBe("EMAIL_TAKEN");
    const same = await changeEmail(accessToken, user.id, {
      newEmail: user.email,
      currentPassword: TEST_PASSWORD,
    });
    expect(same.status).toBe(422);
    expect(t.mail.to(other.email)).toEqual([]);
  });

  test("a member cannot change another member's address; another tenant's user is 404", async () => {
    const { tenant, user: victim } = await newUser();
    const attacker = await t.createUser(tenant.id);
    const { accessToken } = await t.login(tenant.slug, attacker.email);
    const res = await changeEmail(accessToken, victim.id, { newEmail: "attacker@evil.test" });
    expect(res.status).toBe(403);
    const stranger = await newUser();
    const cross = await changeEmail(accessToken, stranger.user.id, { newEmail: "attacker@evil.test" });
    expect(cross.status).toBe(404);
    expect(t.mail.to("attacker@evil.test")).toEqual([]);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 2_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await Bun.sleep(5);
  }
}

describe("taking over an account with a stolen session", () => {
  test("changing your own email needs the current password; guesses count towards the lockout", async () => {
    const { tenant, user } = await newUser();
    const { accessToken } = await t.login(tenant.slug, user.email);
    const missing = await changeEmail(accessToken, user.id, { newEmail: "thief@evil.test" });
    expect(missing.status).toBe(422);
    expect(problemOf(missing)?.code).toBe("CURRENT_PASSWORD_REQUIRED");
    const wrong = await changeEmail(accessToken, user.id, {
      newEmail: "thief@evil.test",
      currentPassword: "Not-The-Password-1",
    });
    expect(problemOf(wrong)?.code).toBe("INVALID_CURRENT_PASSWORD");
    expect(t.mail.to("thief@evil.test")).toEqual([]);
    expect(await t.db.select().from(oneTimeTokens).where(eq(oneTimeTokens.userId, user.id))).toEqual([]);
  });

  test("a reset link mailed to the old address stops working once the address changes", async () => {
    const { tenant, user } = await newUser();
    const { accessToken } = await t.login(tenant.slug, user.email);
    await forgotPassword(user.email, tenant.slug);
    const resetToken = tokenFromLink(await t.mail.waitFor(user.email));
    const newEmail = `moved-${user.email}`;
    await changeEmail(accessToken, user.id, { newEmail, currentPassword: TEST_PASSWORD });
    await confirmEmailUpdate(tokenFromLink(await t.mail.waitFor(newEmail)));
    const reset = await resetPassword(resetToken, NEW_PASSWORD);
    expect(reset.status).toBe(422);
    expect(problemOf(reset)?.code).toBe("INVALID_TOKEN");
  });

  test("a reset link stops working once the owner changes the password", async () => {
    const { tenant, user } = await newUser();
    const { accessToken } = await t.login(tenant.slug, user.email);
    await forgotPassword(user.email, tenant.slug);
    const resetToken = tokenFromLink(await t.mail.waitFor(user.email));
    await t
      .api(accessToken)
      .users({ id: user.id })
      .password.post({ currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD });
    const reset = await resetPassword(resetToken, "Another-Passphrase-77");
    expect(reset.status).toBe(422);
  });
});

describe("one-time links die when the account changes", () => {
  async function adminOf(tenant: { id: string; slug: string }) {
    const admin = await t.createUser(tenant.id, { role: "admin" });
    return { ...admin, ...(await t.login(tenant.slug, admin.email)) };
  }

  test("an invitation mailed to a mistyped address dies when an admin corrects the address", async () => {
    const tenant = await t.createTenant();
    const admin = await adminOf(tenant);
    const typo = `${t.unique("typo")}@example.com`;
    const right = `${t.unique("right")}@example.com`;
    const created = await t.api(admin.accessToken).users.post({ email: typo });
    expect(created.status).toBe(201);
    const invitation = tokenFromLink(await t.mail.waitFor(typo));

    const change = await changeEmail(admin.accessToken, created.data!.id, { newEmail: right });
    expect(change.status).toBe(202);
    const confirmed = await confirmEmailUpdate(tokenFromLink(await t.mail.waitFor(right)));
    expect(confirmed.data).toEqual({ changed: true, email: right });
    expect(await unusedLinks(t, created.data!.id)).toEqual([]);

    const accept = await acceptInvitation(invitation, NEW_PASSWORD);
    expect(accept.status).toBe(422);
    expect(problemOf(accept)?.code).toBe("INVALID_TOKEN");
    expect((await userRow(created.data!.id)).passwordHash).toBeNull();
    const login = await t
      .api()
      .auth.login.post({ email: right, password: NEW_PASSWORD, tenant: tenant.slug });
    expect(login.status).toBe(401);
  });

  test("a confirmed email change discards every other link of the user", async () => {
    const { tenant, user } = await newUser();
    const { accessToken } = await t.login(tenant.slug, user.email);
    const links = await issueEveryLink(t, user);
    const newEmail = `changed-${user.email}`;
    await changeEmail(accessToken, user.id, { newEmail, currentPassword: TEST_PASSWORD });
    const confirm = await confirmEmailUpdate(tokenFromLink(await t.mail.waitFor(newEmail)));
    expect(confirm.status).toBe(200);
    expect(await unusedLinks(t, user.id)).toEqual([]);
    expect(await useLinks(t, links)).toEqual(everyLinkRefused(links));
    expect((await userRow(user.id)).email).toBe(newEmail);
  });

  test("a password reset discards every other link of the user", async () => {
    const { user } = await newUser();
    const { password_reset, ...others } = await issueEveryLink(t, user);
    const reset = await resetPassword(password_reset, NEW_PASSWORD);
    expect(reset.status).toBe(204);
    expect(await unusedLinks(t, user.id)).toEqual([]);
    expect(await useLinks(t, others)).toEqual(everyLinkRefused(others));
    expect(await Bun.password.verify(NEW_PASSWORD, (await userRow(user.id)).passwordHash!)).toBe(true);
  });

  test("accepting an invitation discards every other link and ends every session of the user", async () => {
    const { tenant, user } = await newUser();
    const before = await t.login(tenant.slug, user.email);
    const sessionId = t.signer.verify(before.accessToken, clock.now())!.sid;
    expect((await me(before.accessToken)).status).toBe(200);
    const { invitation, ...others } = await issueEveryLink(t, user);

    const accept = await acceptInvitation(invitation, NEW_PASSWORD);
    expect(accept.status).toBe(204);
    expect(await unusedLinks(t, user.id)).toEqual([]);
    expect(await useLinks(t, others)).toEqual(everyLinkRefused(others));

    expect((await me(before.accessToken)).status).toBe(401);
    const refresh = await t.api().auth.refresh.post({ refreshToken: before.refreshToken });
    expect(refresh.status).toBe(401);
    const [session] = await t.db.select().from(sessions).where(eq(sessions.id, sessionId));
    expect(session).toMatchObject({ revokedAt: clock.now(), revokedReason: "password_changed" });
    const [event] = await auditOf(tenant.id, "user.invitation_accepted");
    expect(event!.metadata).toEqual({ sessionsEnded: 1 });
    await t.login(tenant.slug, user.email, NEW_PASSWORD);
  });
});
