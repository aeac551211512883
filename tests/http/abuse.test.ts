import { describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents } from "../../src/adapters/db/schema";
import { TEST_PASSWORD, type TestApp, testApp } from "../support/app";
import { eventsAfter, lastSeq } from "../support/audit";
import { manualClock } from "../support/clock";
import { tokenFromLink } from "../support/mailer";
import { testKeyPrefix, testRedisUrl } from "../support/resources";
import { allowDatabaseStartup } from "../support/slow-setup";
import { problemOf } from "../support/typed-client";

allowDatabaseStartup();

/** One sign-in attempt against `app`. */
const signIn = (app: TestApp, body: { email: string; password: string; tenant?: string }) =>
  app.api().auth.login.post(body);
const forgotPassword = (app: TestApp, email: string, tenant: string) =>
  app.api().auth["forgot-password"].post({ email, tenant });
const resetPassword = (app: TestApp, token: string, newPassword: string) =>
  app.api().auth["reset-password"].post({ token, newPassword });
/** A clock the test moves, from the start of the current minute, so a test's refusals share one. */
const minuteClock = () => manualClock(Math.floor(Date.now() / 60_000) * 60_000);
const strict = (env: Record<string, string>) => ({
  RATE_LIMIT_IP_LIMIT: "1000000",
  RATE_LIMIT_ACCOUNT_LIMIT: "1000000",
  LOGIN_LOCKOUT_THRESHOLD: "1000",
  ...env,
});

describe("rate limits", () => {
  test("login is limited per client IP: 429 with Retry-After and RateLimit headers, audited once in the minute, counted", async () => {
    const t = await testApp({
      env: strict({ RATE_LIMIT_IP_LIMIT: "3", RATE_LIMIT_IP_WINDOW_SECONDS: "60" }),
    });
    const tenant = await t.createTenant();
    const statuses = [];
    let refused: Awaited<ReturnType<typeof signIn>> | undefined;
    for (let i = 0; i < 5; i++) {
      const res = await signIn(t, { email: `u${i}@example.com`, password: "x", tenant: tenant.slug });
      statuses.push(res.status);
      if (res.status === 429) refused ??= res;
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect(problemOf(refused!)?.code).toBe("RATE_LIMITED");
    const headers = refused!.response.headers;
    expect(Number(headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(headers.get("ratelimit-limit")).toBe("3");
    expect(headers.get("ratelimit-remaining")).toBe("0");
    expect(Number(headers.get("ratelimit-reset"))).toBeGreaterThan(0);

    const trips = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, "abuse.rate_limited")));
    expect(trips).toHaveLength(1);
    expect(trips[0]).toMatchObject({
      outcome: "denied",
      resourceId: "login",
      metadata: { scope: "ip", count: 1, summary: false },
    });
    expect(t.logger.lines.filter((l) => l.event === "rate_limit.exceeded")).toHaveLength(2);
    // Raw: Prometheus text.
    const metrics = await t.call("GET", "/metrics");
    expect(metrics.body).toContain('rate_limit_exceeded_total{endpoint="login",scope="ip"} 2');
  });

  test("login is limited per account, whether or not the address exists; other accounts go on", async () => {
    const t = await testApp({ env: strict({ RATE_LIMIT_ACCOUNT_LIMIT: "2" }) });
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    for (const email of [user.email, "nobody@example.com"]) {
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        statuses.push((await signIn(t, { email, password: "Wrong-Password-1", tenant: tenant.slug })).status);
      }
      expect(statuses).toEqual([401, 401, 429]);
    }
    const other = await t.createUser(tenant.id);
    expect(
      (await signIn(t, { email: other.email, password: TEST_PASSWORD, tenant: tenant.slug })).status,
    ).toBe(200);
  });

  test("forgot-password is limited per account, the same for unknown addresses", async () => {
    const t = await testApp({ env: strict({ RATE_LIMIT_ACCOUNT_LIMIT: "2" }) });
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    for (const email of [user.email, "nobody@example.com"]) {
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        statuses.push((await forgotPassword(t, email, tenant.slug)).status);
      }
      expect(statuses).toEqual([202, 202, 429]);
    }
  });

  test("refresh, verify, reset and confirm are limited per IP", async () => {
    const t = await testApp({ env: strict({ RATE_LIMIT_IP_LIMIT: "2" }) });
    const auth = t.api().auth;
    const token = "x".repeat(43);
    const calls: [string, () => Promise<{ status: number }>][] = [
      ["POST /auth/refresh", () => auth.refresh.post({ refreshToken: token })],
      ["POST /auth/verify-email", () => auth["verify-email"].post({ token })],
      ["GET /auth/verify-email", () => auth["verify-email"].get({ query: { token } })],
      [
        "POST /auth/reset-password",
        () => auth["reset-password"].post({ token, newPassword: "A-Fresh-Passphrase-42" }),
      ],
      ["POST /auth/confirm-email-update", () => auth["confirm-email-update"].post({ token })],
    ];
    for (const [path, call] of calls) {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await call()).status);
      expect({ path, third: statuses[2] }).toEqual({ path, third: 429 });
    }
  });

  test("accepting an invitation and resetting a password share one bucket: guesses at either count for both", async () => {
    const t = await testApp({ env: strict({ RATE_LIMIT_IP_LIMIT: "2" }) });
    await t.platformAdmin();
    const platform = await t.useCases.tenants.activeBySlug("platform");
    const mark = await lastSeq(t.db, platform.id);
    const auth = t.api().auth;
    const guess = { token: "x".repeat(43), newPassword: "A-Fresh-Passphrase-42" };
    const first = await auth["accept-invitation"].post(guess);
    const second = await resetPassword(t, guess.token, guess.newPassword);
    expect([problemOf(first)?.code, problemOf(second)?.code]).toEqual(["INVALID_TOKEN", "INVALID_TOKEN"]);
    const refused = await auth["accept-invitation"].post(guess);
    expect(refused.status).toBe(429);
    expect(problemOf(refused)?.code).toBe("RATE_LIMITED");
    const trips = (await eventsAfter(t.db, platform.id, mark)).filter(
      (e) => e.action === "abuse.rate_limited",
    );
    expect(trips.map((e) => e.resourceId)).toEqual(["reset_password"]);
  });

  test("an IP-only trip on an endpoint without a tenant is recorded in the platform tenant's log, coalesced", async () => {
    const clock = minuteClock();
    const t = await testApp({ env: strict({ RATE_LIMIT_IP_LIMIT: "1" }), clock });
    await t.platformAdmin();
    const platform = await t.useCases.tenants.activeBySlug("platform");
    const mark = await lastSeq(t.db, platform.id);
    const refresh = () =>
      t.api(undefined, { "user-agent": "flooder" }).auth.refresh.post({ refreshToken: "x".repeat(43) });
    expect((await refresh()).status).toBe(401);
    for (let i = 0; i < 10; i++) {
      expect((await refresh()).status).toBe(429);
      clock.advance(1);
    }
    const trip = {
      action: "abuse.rate_limited",
      outcome: "denied",
      actorType: "user",
      actorId: null,
      resourceType: "endpoint",
      resourceId: "refresh",
      userAgent: "flooder",
    };
    const trips = () =>
      eventsAfter(t.db, platform.id, mark).then((events) =>
        events.filter((e) => e.action === "abuse.rate_limited" && e.resourceId === "refresh"),
      );
    expect(await trips()).toEqual([
      expect.objectContaining({
        ...trip,
        metadata: expect.objectContaining({ scope: "ip", tenantless: true, count: 1, summary: false }),
      }),
    ]);
    clock.advance(60);
    await t.useCases.flushAuditTally();
    expect((await trips()).map((e) => e.metadata)).toEqual([
      expect.objectContaining({ count: 1, summary: false }),
      expect.objectContaining({ scope: "ip", tenantless: true, count: 9, summary: true }),
    ]);
  });

  test("trips of an account limit are coalesced per account, in the account's tenant", async () => {
    const clock = minuteClock();
    const t = await testApp({ env: strict({ RATE_LIMIT_ACCOUNT_LIMIT: "1" }), clock });
    const tenant = await t.createTenant();
    const mark = await lastSeq(t.db, tenant.id);
    for (const email of ["a@example.com", "b@example.com"]) {
      for (let i = 0; i < 4; i++) {
        await forgotPassword(t, email, tenant.slug);
      }
    }
    clock.advance(60);
    await t.useCases.flushAuditTally();
    const trips = (await eventsAfter(t.db, tenant.id, mark)).filter((e) => e.action === "abuse.rate_limited");
    expect(trips.map((e) => [e.resourceId, e.metadata.scope, e.metadata.count, e.metadata.summary])).toEqual([
      ["forgot_password", "account", 1, false],
      ["forgot_password", "account", 1, false],
      ["forgot_password", "account", 2, true],
      ["forgot_password", "account", 2, true],
    ]);
  });

  (process.env.TEST_REDIS_URL ? test : test.skip)(
    "two instances sharing Redis count one limit together",
    async () => {
      const shared = { REDIS_URL: (await testRedisUrl())!, CACHE_KEY_PREFIX: testKeyPrefix() };
      const a = await testApp({ env: strict({ ...shared, RATE_LIMIT_ACCOUNT_LIMIT: "3" }) });
      const b = await testApp({ env: strict({ ...shared, RATE_LIMIT_ACCOUNT_LIMIT: "3" }) });
      const tenant = await a.createTenant();
      const body = { email: "shared@example.com", password: "x", tenant: tenant.slug };
      const statuses = [];
      for (const instance of [a, b, a, b]) statuses.push((await signIn(instance, body)).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
    },
  );
});

describe("login lockout (brute force)", () => {
  const lockoutEnv = strict({
    LOGIN_LOCKOUT_THRESHOLD: "3",
    LOGIN_LOCKOUT_BASE_SECONDS: "60",
    LOGIN_LOCKOUT_MAX_SECONDS: "900",
  });

  test("after repeated wrong passwords even the right one is refused for a while: 429 LOGIN_LOCKED", async () => {
    const t = await testApp({ env: lockoutEnv });
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    for (let i = 0; i < 3; i++) {
      await signIn(t, { email: user.email, password: `Wrong-Password-${i}`, tenant: tenant.slug });
    }
    const res = await signIn(t, { email: user.email, password: TEST_PASSWORD, tenant: tenant.slug });
    expect(res.status).toBe(429);
    expect(problemOf(res)?.code).toBe("LOGIN_LOCKED");
    expect(Number(res.response.headers.get("retry-after"))).toBeGreaterThan(50);
    const failures = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, "auth.login.failed")))
      .orderBy(auditEvents.seq);
    expect(failures.at(-1)!.metadata).toMatchObject({ reason: "wrong_password", lockedForSeconds: 60 });
  });

  test("a locked account's refusals are recorded as auth.login.locked: the first at once, the rest of the minute in one summary", async () => {
    const clock = minuteClock();
    const t = await testApp({ env: lockoutEnv, clock });
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    for (let i = 0; i < 3; i++) {
      await signIn(t, { email: user.email, password: `Wrong-Password-${i}`, tenant: tenant.slug });
    }
    const mark = await lastSeq(t.db, tenant.id);
    for (let i = 0; i < 20; i++) {
      const res = await signIn(t, {
        email: user.email.toUpperCase(),
        password: TEST_PASSWORD,
        tenant: tenant.slug,
      });
      expect(problemOf(res)?.code).toBe("LOGIN_LOCKED");
      clock.advance(1);
    }
    const locked = {
      action: "auth.login.locked",
      outcome: "denied",
      actorType: "user",
      actorId: null,
      actorDisplay: user.email,
      resourceType: "endpoint",
      resourceId: "login",
    };
    expect(await eventsAfter(t.db, tenant.id, mark)).toEqual([
      expect.objectContaining({
        ...locked,
        metadata: expect.objectContaining({ code: "LOGIN_LOCKED", count: 1, summary: false }),
      }),
    ]);
    clock.advance(60);
    await t.useCases.flushAuditTally();
    const events = await eventsAfter(t.db, tenant.id, mark);
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({
      ...locked,
      metadata: {
        code: "LOGIN_LOCKED",
        count: 19,
        firstAt: new Date(clock.now().getTime() - 79_000).toISOString(),
        lastAt: new Date(clock.now().getTime() - 61_000).toISOString(),
        summary: true,
      },
    });
  });

  test("an unknown address locks the same way, so the lock reveals nothing", async () => {
    const t = await testApp({ env: lockoutEnv });
    const tenant = await t.createTenant();
    for (let i = 0; i < 3; i++) {
      await signIn(t, { email: "ghost@example.com", password: "x", tenant: tenant.slug });
    }
    const res = await signIn(t, { email: "ghost@example.com", password: "x", tenant: tenant.slug });
    expect(problemOf(res)?.code).toBe("LOGIN_LOCKED");
  });

  test("a successful login clears the count", async () => {
    const t = await testApp({ env: lockoutEnv });
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    const fail = () => signIn(t, { email: user.email, password: "Wrong-Password-1", tenant: tenant.slug });
    await fail();
    await fail();
    await t.login(tenant.slug, user.email);
    await fail();
    await fail();
    expect(
      (await signIn(t, { email: user.email, password: TEST_PASSWORD, tenant: tenant.slug })).status,
    ).toBe(200);
  });

  test("a password reset also lifts the per-account login limit an attacker is holding", async () => {
    const t = await testApp({ env: strict({ RATE_LIMIT_ACCOUNT_LIMIT: "3" }) });
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    for (let i = 0; i < 4; i++) {
      await signIn(t, { email: user.email, password: "Wrong-Password-1", tenant: tenant.slug });
    }
    const blocked = await signIn(t, { email: user.email, password: TEST_PASSWORD, tenant: tenant.slug });
    expect(problemOf(blocked)?.code).toBe("RATE_LIMITED");
    await forgotPassword(t, user.email, tenant.slug);
    const token = tokenFromLink(await t.mail.waitFor(user.email));
    await resetPassword(t, token, "A-Fresh-Passphrase-42");
    await t.login(tenant.slug, user.email, "A-Fresh-Passphrase-42");
  });

  test("the owner gets back in at once by resetting the password", async () => {
    const t = await testApp({ env: lockoutEnv });
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    const login = (password: string) => signIn(t, { email: user.email, password, tenant: tenant.slug });
    for (let i = 0; i < 3; i++) await login(`Wrong-Password-${i}`);

    // The lock holds: even the right password is refused, and the lock is on record.
    const locked = await login(TEST_PASSWORD);
    expect(locked.status).toBe(429);
    expect(problemOf(locked)?.code).toBe("LOGIN_LOCKED");
    expect(Number(locked.response.headers.get("retry-after"))).toBeGreaterThan(50);
    const lockEvents = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, "auth.login.locked")));
    expect(lockEvents).toEqual([expect.objectContaining({ outcome: "denied", actorDisplay: user.email })]);

    const requested = await forgotPassword(t, user.email, tenant.slug);
    expect(requested.status).toBe(202);
    const token = tokenFromLink(await t.mail.waitFor(user.email));
    const reset = await resetPassword(t, token, "A-Fresh-Passphrase-42");
    expect(reset.status).toBe(204);

    // At once: no waiting out the lock, and the new password is the one that opens the account.
    expect((await login("A-Fresh-Passphrase-42")).status).toBe(200);
    expect(problemOf(await login(TEST_PASSWORD))?.code).toBe("INVALID_CREDENTIALS");
    const completed = await t.db
      .select()
      .from(auditEvents)
      .where(
        and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, "auth.password_reset.completed")),
      );
    expect(completed).toEqual([expect.objectContaining({ outcome: "success", resourceId: user.id })]);
  });

  test("guessing the current password in a password change counts towards the lock", async () => {
    const t = await testApp({ env: lockoutEnv });
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    const { accessToken } = await t.login(tenant.slug, user.email);
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const res = await t
        .api(accessToken)
        .users({ id: user.id })
        .password.post({ currentPassword: `Guess-Number-${i}`, newPassword: "A-Fresh-Passphrase-42" });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([422, 422, 422, 429]);
    const locked = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, "auth.login.locked")));
    expect(locked).toEqual([
      expect.objectContaining({
        outcome: "denied",
        actorId: user.id,
        resourceId: "change_password",
        metadata: expect.objectContaining({ code: "LOGIN_LOCKED", count: 1 }),
      }),
    ]);
  });
});
