import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { tenants } from "../../src/adapters/db/schema";
import { type TestApp, testApp } from "../support/app";
import { eventsAfter, lastSeq } from "../support/audit";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});

const findTenants = (app: TestApp, email: string) =>
  app.call("POST", "/api/v1/auth/find-tenants", { body: { email } });
const address = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}@example.com`;
const visible = (res: Awaited<ReturnType<TestApp["call"]>>) => {
  const headers = Object.fromEntries(res.headers.entries());
  delete headers["x-request-id"];
  return { status: res.status, headers, body: res.body };
};

describe("find your workspace", () => {
  test("answers a known and an unknown address identically; only the known one is mailed", async () => {
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    const unknown = address("nobody");
    const a = await findTenants(t, user.email);
    const b = await findTenants(t, unknown);
    expect(a.status).toBe(202);
    expect(visible(a)).toEqual(visible(b));
    const mail = await t.mail.waitFor(user.email);
    expect(mail.subject).toBe("Your workspaces");
    expect(mail.text).toContain(`"${tenant.slug}"`);
    expect(mail.text).toContain(`/login?tenant=${tenant.slug}`);
    await Bun.sleep(50);
    expect(t.mail.to(unknown)).toHaveLength(0);
  });

  test("lists every tenant with an active account, and none where the account or the tenant is inactive", async () => {
    const email = address("multi");
    const [one, two, deactivatedIn, suspended] = await Promise.all([
      t.createTenant(),
      t.createTenant(),
      t.createTenant(),
      t.createTenant({ status: "suspended" }),
    ]);
    for (const tenant of [one, two, suspended]) await t.createUser(tenant.id, { email });
    await t.createUser(deactivatedIn.id, { email, isActive: false });
    await findTenants(t, email.toUpperCase());
    const mail = await t.mail.waitFor(email);
    expect(mail.text).toContain(`"${one.slug}"`);
    expect(mail.text).toContain(`"${two.slug}"`);
    expect(mail.text).not.toContain(deactivatedIn.slug);
    expect(mail.text).not.toContain(suspended.slug);
  });

  test("with BASE_DOMAIN the sign-in hint is the tenant's own host", async () => {
    const app = await testApp({ env: { BASE_DOMAIN: "example.test" } });
    const tenant = await app.createTenant();
    const user = await app.createUser(tenant.id);
    await findTenants(app, user.email);
    expect((await app.mail.waitFor(user.email)).text).toContain(`http://${tenant.slug}.example.test`);
  });

  test("an HTML-looking tenant name is escaped in the mail's HTML", async () => {
    const tenant = await t.createTenant();
    await t.db.update(tenants).set({ name: "<b>Evil</b>" }).where(eq(tenants.id, tenant.id));
    const user = await t.createUser(tenant.id);
    await findTenants(t, user.email);
    const mail = await t.mail.waitFor(user.email);
    expect(mail.html).not.toContain("<b>Evil</b>");
    expect(mail.html).toContain("&lt;b&gt;Evil&lt;/b&gt;");
  });

  test("is rate limited per address (before the IP limit) and per IP; trips go to the platform log", async () => {
    const limited = await testApp({ env: { RATE_LIMIT_ACCOUNT_LIMIT: "2", RATE_LIMIT_IP_LIMIT: "4" } });
    await limited.platformAdmin(); // seeds the platform tenant, whose log takes tenantless trips
    const [platform] = await limited.db.select().from(tenants).where(eq(tenants.slug, "platform"));
    const before = await lastSeq(limited.db, platform!.id);
    const email = address("rl");
    const perEmail = [];
    for (let i = 0; i < 3; i++) perEmail.push((await findTenants(limited, email)).status);
    expect(perEmail).toEqual([202, 202, 429]);
    const perIp = [];
    for (let i = 0; i < 2; i++) perIp.push((await findTenants(limited, address("ip"))).status);
    expect(perIp).toEqual([202, 429]);
    const trips = (await eventsAfter(limited.db, platform!.id, before)).filter(
      (event) => event.action === "abuse.rate_limited" && event.resourceId === "find_tenants",
    );
    expect(
      trips.map((trip) => trip.metadata).sort((a, b) => String(a?.scope).localeCompare(String(b?.scope))),
    ).toEqual([
      expect.objectContaining({ scope: "account", tenantless: true }),
      expect.objectContaining({ scope: "ip", tenantless: true }),
    ]);
  });
});
