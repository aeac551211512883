import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents, tenants, users } from "../../src/adapters/db/schema";
import { TEST_PASSWORD, type TestApp, testApp } from "../support/app";
import { tokenFromLink } from "../support/mailer";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const PASSWORD = "Sign-up-Passphrase-42";
let t: TestApp;
beforeAll(async () => {
  t = await testApp({ env: { SIGNUP_ENABLED: "true" } });
});

const signUp = (app: TestApp, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  app.call("POST", "/api/v1/auth/signup", { body, headers });
const address = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}@example.com`;
/** What a response shows a caller, but the per-request id. */
const visible = (res: Awaited<ReturnType<TestApp["call"]>>) => {
  const headers = Object.fromEntries(res.headers.entries());
  delete headers["x-request-id"];
  return { status: res.status, headers, body: res.body };
};
const userByEmail = async (email: string) => {
  const rows = await t.db.select().from(users).where(eq(users.email, email));
  return rows;
};
/** Waits (bounded) for the background part of a sign-up to have written the user. */
async function signedUpUser(email: string) {
  for (let i = 0; i < 400; i++) {
    const [user] = await userByEmail(email);
    if (user) return user;
    await Bun.sleep(5);
  }
  throw new Error(`no user ${email}`);
}

describe("sign-up", () => {
  test("creates a free tenant requiring verified email, its admin unverified, audited in its log, and mails a link", async () => {
    const email = address("founder");
    const res = await signUp(t, { email, password: PASSWORD, tenantName: "Acme Widgets" });
    expect(res.status).toBe(202);
    const user = await signedUpUser(email);
    expect(user).toMatchObject({ role: "admin", emailVerifiedAt: null, isActive: true });
    const [tenant] = await t.db.select().from(tenants).where(eq(tenants.id, user.tenantId));
    expect(tenant).toMatchObject({ name: "Acme Widgets", plan: "free", status: "active" });
    expect(tenant!.slug).toMatch(/^acme-widgets(-[a-z0-9]{4})?$/);
    expect(tenant!.settings).toEqual({ requireVerifiedEmail: true });
    const events = await t.db.select().from(auditEvents).where(eq(auditEvents.tenantId, tenant!.id));
    expect(events.map((e) => e.action).sort()).toEqual(["tenant.created", "user.created"]);
    const welcome = await t.mail.waitFor(email);
    expect(welcome.subject).toBe("Confirm your email to finish signing up");
    expect(welcome.text).toContain(`"${tenant!.slug}"`);
  });

  test("a derived slug that is taken gets a random suffix", async () => {
    const name = `Dup ${crypto.randomUUID().slice(0, 6)}`;
    const first = address("dup1");
    const second = address("dup2");
    await signUp(t, { email: first, password: PASSWORD, tenantName: name });
    const a = await signedUpUser(first);
    await signUp(t, { email: second, password: PASSWORD, tenantName: name });
    const b = await signedUpUser(second);
    const [ta] = await t.db.select().from(tenants).where(eq(tenants.id, a.tenantId));
    const [tb] = await t.db.select().from(tenants).where(eq(tenants.id, b.tenantId));
    expect(tb!.slug).toMatch(new RegExp(`^${ta!.slug}-[a-z0-9]{4}$`));
  });

  test("unverified, the admin is refused sign-in with 403 EMAIL_NOT_VERIFIED only with the right password; verified, signed in", async () => {
    const email = address("verify");
    const slug = `v-${crypto.randomUUID().slice(0, 8)}`;
    expect(
      (await signUp(t, { email, password: PASSWORD, tenantName: "Verify Co", tenantSlug: slug })).status,
    ).toBe(202);
    await signedUpUser(email);
    const link = await t.mail.waitFor(email);
    const wrong = await t.call("POST", "/api/v1/auth/login", {
      body: { email, password: "Wrong-password-123", tenant: slug },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe("INVALID_CREDENTIALS");
    const refused = await t.call("POST", "/api/v1/auth/login", {
      body: { email, password: PASSWORD, tenant: slug },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("EMAIL_NOT_VERIFIED");
    expect(refused.body.accessToken).toBeUndefined();
    const verified = await t.call("POST", "/api/v1/auth/verify-email", {
      body: { token: tokenFromLink(link) },
    });
    expect(verified.status).toBe(200);
    const tokens = await t.login(slug, email, PASSWORD);
    expect(tokens.accessToken).toBeString();
  });

  test("an unverified user of a tenant without requireVerifiedEmail still signs in", async () => {
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    await t.db.update(users).set({ emailVerifiedAt: null }).where(eq(users.id, user.id));
    expect((await t.login(tenant.slug, user.email)).accessToken).toBeString();
  });

  test("a tenant admin turns requireVerifiedEmail on, audited; unverified users are then refused", async () => {
    const team = await t.team();
    const member = await t.createUser(team.tenant.id);
    await t.db.update(users).set({ emailVerifiedAt: null }).where(eq(users.id, member.id));
    const res = await t.call("PUT", `/api/v1/tenants/${team.tenant.id}`, {
      token: team.admin.accessToken,
      body: { settings: { requireVerifiedEmail: true } },
    });
    expect(res.status).toBe(200);
    const audited = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, team.tenant.id), eq(auditEvents.action, "tenant.updated")));
    expect(audited).toHaveLength(1);
    const refused = await t.call("POST", "/api/v1/auth/login", {
      body: { email: member.email, password: TEST_PASSWORD, tenant: team.tenant.slug },
    });
    expect(refused.body.code).toBe("EMAIL_NOT_VERIFIED");
    const bad = await t.call("PUT", `/api/v1/tenants/${team.tenant.id}`, {
      token: team.admin.accessToken,
      body: { settings: { requireVerifiedEmail: "yes" } },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe("INVALID_SETTINGS");
  });

  test("the answer is identical for a known and a new address; the known one gets a notice and no second tenant", async () => {
    const tenant = await t.createTenant();
    const known = await t.createUser(tenant.id);
    const fresh = address("fresh");
    const a = await signUp(t, { email: known.email, password: PASSWORD, tenantName: "Known Inc" });
    const b = await signUp(t, { email: fresh, password: PASSWORD, tenantName: "Known Inc" });
    expect(visible(a)).toEqual(visible(b));
    const notice = await t.mail.waitFor(known.email);
    expect(notice.subject).toBe("You already have an account");
    expect(notice.text).toContain(tenant.slug);
    await signedUpUser(fresh);
    expect(await userByEmail(known.email)).toHaveLength(1);
  });

  test("an asked-for slug that is taken is 409 SLUG_TAKEN (slugs are public), a reserved one 422", async () => {
    const tenant = await t.createTenant();
    const taken = await signUp(t, {
      email: address("s"),
      password: PASSWORD,
      tenantName: "X",
      tenantSlug: tenant.slug,
    });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe("SLUG_TAKEN");
    const reserved = await signUp(t, {
      email: address("s"),
      password: PASSWORD,
      tenantName: "X",
      tenantSlug: "admin",
    });
    expect(reserved.status).toBe(422);
    expect(reserved.body.code).toBe("SLUG_RESERVED");
  });

  test("a weak password is 422 WEAK_PASSWORD and creates nothing", async () => {
    const email = address("weak");
    const res = await signUp(t, { email, password: "short", tenantName: "Weak" });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe("WEAK_PASSWORD");
    await Bun.sleep(50);
    expect(await userByEmail(email)).toHaveLength(0);
  });

  test("a signed-up admin cannot reach another tenant", async () => {
    const email = address("iso");
    const slug = `iso-${crypto.randomUUID().slice(0, 8)}`;
    await signUp(t, { email, password: PASSWORD, tenantName: "Iso", tenantSlug: slug });
    await signedUpUser(email);
    await t.call("POST", "/api/v1/auth/verify-email", {
      body: { token: tokenFromLink(await t.mail.waitFor(email)) },
    });
    const { accessToken } = await t.login(slug, email, PASSWORD);
    const other = await t.team();
    const read = await t.call("GET", `/api/v1/tenants/${other.tenant.id}`, { token: accessToken });
    expect(read.status).toBe(404);
    const users = await t.call("GET", "/api/v1/users", {
      token: accessToken,
      headers: { "x-tenant": other.tenant.slug },
    });
    expect([403, 404]).toContain(users.status);
  });
});

describe("sign-up limits and switch", () => {
  test("is rate limited per address (before the IP limit) and per IP", async () => {
    const limited = await testApp({
      env: { SIGNUP_ENABLED: "true", RATE_LIMIT_ACCOUNT_LIMIT: "2", RATE_LIMIT_IP_LIMIT: "4" },
    });
    const email = address("rl");
    const body = { email, password: "x", tenantName: "RL" };
    const perEmail = [];
    for (let i = 0; i < 3; i++) perEmail.push((await signUp(limited, body)).status);
    expect(perEmail).toEqual([422, 422, 429]);
    const perIp = [];
    for (let i = 0; i < 2; i++) perIp.push((await signUp(limited, { ...body, email: address("ip") })).status);
    expect(perIp).toEqual([422, 429]);
  });

  test("disabled, the route answers exactly as an unknown route", async () => {
    const off = await testApp();
    const body = { email: address("off"), password: PASSWORD, tenantName: "Off" };
    const signup = visible(await signUp(off, body));
    const unknown = visible(await off.call("POST", "/api/v1/auth/signup-nothing-here", { body }));
    expect(signup.status).toBe(404);
    expect(signup.body.code).toBe("ROUTE_NOT_FOUND");
    const { requestId: _a, ...signupBody } = signup.body;
    const { requestId: _b, ...unknownBody } = unknown.body;
    expect({ ...signup, body: signupBody }).toEqual({ ...unknown, body: unknownBody });
  });
});
