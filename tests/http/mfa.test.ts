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
  // Low enough that a brute force of codes reaches it within two mfaTokens.
  t = await testApp({ clock, env: { LOGIN_LOCKOUT_THRESHOLD: "8" } });
});

const ENROL = "/api/v1/users/me/mfa/totp";
const CONFIRM = "/api/v1/users/me/mfa/totp/confirm";
const RECOVERY = "/api/v1/users/me/mfa/recovery-codes";
const VERIFY = "/api/v1/auth/mfa/verify";

/** The code an authenticator app shows now. */
const codeNow = (secret: string) =>
  new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: clock.now().getTime() });

/** A signed-in user with TOTP on; the clock has moved to the next step, so a fresh code is new. */
async function enrolledUser() {
  const tenant = await t.createTenant();
  const user = await t.createUser(tenant.id);
  const { accessToken } = await t.login(tenant.slug, user.email);
  const started = await t.call("POST", ENROL, { token: accessToken, body: { password: TEST_PASSWORD } });
  expect(started.status).toBe(200);
  const secret = started.body.secret as string;
  const confirmed = await t.call("POST", CONFIRM, { token: accessToken, body: { code: codeNow(secret) } });
  expect(confirmed.status).toBe(200);
  clock.advance(30);
  return { tenant, user, secret, accessToken, recoveryCodes: confirmed.body.recoveryCodes as string[] };
}

type Enrolled = Awaited<ReturnType<typeof enrolledUser>>;
const signIn = ({ tenant, user }: Pick<Enrolled, "tenant" | "user">, extra: Record<string, unknown> = {}) =>
  t.call("POST", "/api/v1/auth/login", {
    body: { email: user.email, password: TEST_PASSWORD, tenant: tenant.slug, ...extra },
  });
const verify = (mfaToken: string, code: string) => t.call("POST", VERIFY, { body: { mfaToken, code } });
const auditOf = (tenantId: string, action: string) =>
  t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, action)));

describe("enrolment", () => {
  test("returns a secret and its otpauth URI naming the product and tenant; the secret is stored sealed", async () => {
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    const { accessToken } = await t.login(tenant.slug, user.email);

    const res = await t.call("POST", ENROL, { token: accessToken, body: { password: TEST_PASSWORD } });

    expect(res.status).toBe(200);
    const uri = new URL(res.body.otpauthUri);
    expect(uri.searchParams.get("secret")).toBe(res.body.secret);
    expect(uri.searchParams.get("issuer")).toBe(`SaaS (${tenant.name})`);
    const [row] = await t.db.select().from(userMfa).where(eq(userMfa.userId, user.id));
    expect(row!.confirmedAt).toBeNull();
    expect(row!.secretSealed).not.toContain(res.body.secret);
  });

  test("confirming turns it on with 10 recovery codes shown once and stored hashed; every step is audited without secrets", async () => {
    const { tenant, user, secret, recoveryCodes } = await enrolledUser();

    expect(recoveryCodes).toHaveLength(10);
    const [row] = await t.db.select().from(userMfa).where(eq(userMfa.userId, user.id));
    expect(row!.confirmedAt).toBeInstanceOf(Date);
    expect(row!.recoveryCodeHashes).toHaveLength(10);
    const stored = JSON.stringify(row);
    for (const code of recoveryCodes) expect(stored).not.toContain(code);
    const events = [
      ...(await auditOf(tenant.id, "mfa.totp.enrolment_started")),
      ...(await auditOf(tenant.id, "mfa.totp.enabled")),
    ];
    expect(events).toHaveLength(2);
    const logged = JSON.stringify(events) + JSON.stringify(t.logger.lines ?? []);
    expect(logged).not.toContain(secret);
    for (const code of recoveryCodes) expect(logged).not.toContain(code);
  });

  test("a wrong code does not turn it on", async () => {
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    const { accessToken } = await t.login(tenant.slug, user.email);
    await t.call("POST", ENROL, { token: accessToken, body: { password: TEST_PASSWORD } });

    const res = await t.call("POST", CONFIRM, { token: accessToken, body: { code: "000000" } });

    expect(res.status).toBe(422);
    expect(res.body.code).toBe("INVALID_MFA_CODE");
    const [row] = await t.db.select().from(userMfa).where(eq(userMfa.userId, user.id));
    expect(row!.confirmedAt).toBeNull();
  });

  test("attack: a password alone cannot enrol (no session), and a wrong password is refused", async () => {
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    const anonymous = await t.call("POST", ENROL, { body: { password: TEST_PASSWORD } });
    expect(anonymous.status).toBe(401);

    const { accessToken } = await t.login(tenant.slug, user.email);
    const wrong = await t.call("POST", ENROL, { token: accessToken, body: { password: "not-it" } });
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe("INVALID_CURRENT_PASSWORD");
  });

  test("attack: a stolen session and password cannot replace a confirmed factor", async () => {
    const enrolled = await enrolledUser();
    const { mfaToken } = (await signIn(enrolled)).body;
    const { accessToken } = (await verify(mfaToken, codeNow(enrolled.secret))).body;
    clock.advance(30);

    const res = await t.call("POST", ENROL, { token: accessToken, body: { password: TEST_PASSWORD } });

    expect(res.status).toBe(409);
    expect(res.body.code).toBe("MFA_ALREADY_ENABLED");
    const challenge = (await signIn(enrolled)).body;
    expect((await verify(challenge.mfaToken, codeNow(enrolled.secret))).status).toBe(200);
  });
});

describe("sign-in with a second factor", () => {
  test("login answers a challenge and no tokens; verify with a code returns the pair of a session marked mfa", async () => {
    const enrolled = await enrolledUser();

    const login = await signIn(enrolled);
    expect(login.status).toBe(200);
    expect(login.body).toEqual({
      mfaRequired: true,
      mfaToken: expect.any(String),
      methods: ["totp", "recovery"],
    });
    expect(login.headers.get("set-cookie")).toBeNull();

    const res = await verify(login.body.mfaToken, codeNow(enrolled.secret));
    expect(res.status).toBe(200);
    const { accessToken, refreshToken } = res.body;
    expect(typeof refreshToken).toBe("string");
    const me = await t.call("GET", "/api/v1/users/me", { token: accessToken });
    expect(me.body).toMatchObject({ id: enrolled.user.id });
    const sid = t.signer.verify(accessToken, clock.now())!.sid;
    const [session] = await t.db.select().from(sessions).where(eq(sessions.id, sid));
    expect(session!.mfa).toBe(true);
    const listed = await t.call("GET", `/api/v1/users/${enrolled.user.id}/sessions`, { token: accessToken });
    expect(listed.body.items.find((item: { current: boolean }) => item.current)).toMatchObject({ mfa: true });
    expect(await auditOf(enrolled.tenant.id, "auth.mfa.succeeded")).toHaveLength(1);
  });

  test("a cookie login gets its cookie only at verify", async () => {
    const enrolled = await enrolledUser();
    const login = await signIn(enrolled, { session: "cookie" });
    expect(login.headers.get("set-cookie")).toBeNull();

    const res = await verify(login.body.mfaToken, codeNow(enrolled.secret));

    expect(res.status).toBe(200);
    expect(res.body.refreshToken).toBeUndefined();
    expect(res.headers.get("set-cookie")).toStartWith("refresh_token=");
  });

  test("attack: a TOTP code is accepted once, even within its 30 seconds", async () => {
    const enrolled = await enrolledUser();
    const code = codeNow(enrolled.secret);
    expect((await verify((await signIn(enrolled)).body.mfaToken, code)).status).toBe(200);

    const replay = await verify((await signIn(enrolled)).body.mfaToken, code);

    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe("INVALID_MFA_CODE");
  });

  test("attack: an mfaToken is single use and lives 5 minutes", async () => {
    const enrolled = await enrolledUser();
    const { mfaToken } = (await signIn(enrolled)).body;
    expect((await verify(mfaToken, codeNow(enrolled.secret))).status).toBe(200);
    clock.advance(30);
    const reused = await verify(mfaToken, codeNow(enrolled.secret));
    expect(reused.status).toBe(401);
    expect(reused.body.code).toBe("INVALID_MFA_TOKEN");

    const late = (await signIn(enrolled)).body.mfaToken;
    clock.advance(301);
    expect((await verify(late, codeNow(enrolled.secret))).body.code).toBe("INVALID_MFA_TOKEN");
  });

  test("attack: brute force of an mfaToken: 5 wrong codes kill it, and wrong codes lock the account", async () => {
    const enrolled = await enrolledUser();
    const first = (await signIn(enrolled)).body.mfaToken;
    for (let i = 0; i < 5; i++) expect((await verify(first, `00000${i}`)).body.code).toBe("INVALID_MFA_CODE");
    const dead = await verify(first, codeNow(enrolled.secret));
    expect(dead.body.code).toBe("INVALID_MFA_TOKEN");

    // A fresh password step does not clear the failures: 3 more reach the threshold of 8.
    const second = (await signIn(enrolled)).body.mfaToken;
    for (let i = 0; i < 3; i++) await verify(second, `11111${i}`);
    const locked = await signIn(enrolled);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe("LOGIN_LOCKED");
    const failures = await auditOf(enrolled.tenant.id, "auth.mfa.failed");
    expect(failures).toHaveLength(8);
  });

  test("attack: refresh cannot skip the second factor: the password step yields no refresh token", async () => {
    const enrolled = await enrolledUser();
    const login = await signIn(enrolled);
    expect(login.body.refreshToken).toBeUndefined();
    expect(login.body.accessToken).toBeUndefined();
    const asRefresh = await t.call("POST", "/api/v1/auth/refresh", {
      body: { refreshToken: login.body.mfaToken },
    });
    expect(asRefresh.status).toBe(401);
    const asBearer = await t.call("GET", "/api/v1/users/me", { token: login.body.mfaToken });
    expect(asBearer.status).toBe(401);
  });

  test("a recovery code signs in once", async () => {
    const enrolled = await enrolledUser();
    const [code] = enrolled.recoveryCodes;
    expect((await verify((await signIn(enrolled)).body.mfaToken, code!)).status).toBe(200);

    const again = await verify((await signIn(enrolled)).body.mfaToken, code!);

    expect(again.status).toBe(401);
    expect(again.body.code).toBe("INVALID_MFA_CODE");
  });
});

describe("turning off and new recovery codes", () => {
  test("new recovery codes need a code and kill the old ones", async () => {
    const enrolled = await enrolledUser();
    const res = await t.call("POST", RECOVERY, {
      token: enrolled.accessToken,
      body: { code: codeNow(enrolled.secret) },
    });
    expect(res.status).toBe(200);
    expect(res.body.recoveryCodes).toHaveLength(10);
    clock.advance(30);

    const old = await verify((await signIn(enrolled)).body.mfaToken, enrolled.recoveryCodes[0]!);
    expect(old.status).toBe(401);
    const fresh = await verify((await signIn(enrolled)).body.mfaToken, res.body.recoveryCodes[0]);
    expect(fresh.status).toBe(200);
    expect(await auditOf(enrolled.tenant.id, "mfa.recovery_codes.regenerated")).toHaveLength(1);
  });

  test("turning off needs the password and a code; then login returns tokens at once", async () => {
    const enrolled = await enrolledUser();
    const withoutCode = await t.call("DELETE", ENROL, {
      token: enrolled.accessToken,
      body: { password: TEST_PASSWORD, code: "000000" },
    });
    expect(withoutCode.status).toBe(422);

    const res = await t.call("DELETE", ENROL, {
      token: enrolled.accessToken,
      body: { password: TEST_PASSWORD, code: codeNow(enrolled.secret) },
    });

    expect(res.status).toBe(204);
    expect((await signIn(enrolled)).body.accessToken).toEqual(expect.any(String));
    expect(await auditOf(enrolled.tenant.id, "mfa.totp.disabled")).toHaveLength(1);
  });

  test("an API key cannot manage a factor (PERSON_ONLY)", async () => {
    const team = await t.team();
    const created = await t.call("POST", "/api/v1/api-keys", {
      token: team.admin.accessToken,
      body: { name: "machine", kind: "api" },
    });
    const res = await t.call("POST", ENROL, {
      token: created.body.secret,
      body: { password: TEST_PASSWORD },
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("PERSON_ONLY");
  });
});
