import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents, featureFlags, users } from "../../src/adapters/db/schema";
import type { Acting } from "../../src/core/domain/acting";
import { type TestApp, testApp } from "../support/app";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

// Rules that both the API and saasctl rely on, exercised on the use cases themselves.

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});

/** An admin of a new tenant, acting in it. */
async function adminOfNewTenant(): Promise<Acting> {
  const created = await t.createTenant();
  const tenant = await t.useCases.tenants.activeById(created.id);
  const admin = await t.createUser(tenant.id, { role: "admin" });
  return {
    principal: { userId: admin.id, tenantId: tenant.id, sessionId: "s", role: "admin" },
    home: tenant,
    tenant,
    origin: { ip: null, userAgent: "test", requestId: null },
  };
}

const flagRow = async (id: string) =>
  (await t.db.select().from(featureFlags).where(eq(featureFlags.id, id)))[0]!;
const flagUpdates = (tenantId: string, id: string) =>
  t.db
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.tenantId, tenantId),
        eq(auditEvents.resourceId, id),
        eq(auditEvents.action, "flag.updated"),
      ),
    );

describe("flag changes decided on the locked row", () => {
  test("two toggles at once both count: the flag ends where it began, with two audited changes", async () => {
    const acting = await adminOfNewTenant();
    const flags = t.useCases.manageFlags;
    const flag = await flags.create(acting, { key: t.unique("toggle") });
    await Promise.all([flags.toggle(acting, flag.id), flags.toggle(acting, flag.id)]);
    expect((await flagRow(flag.id)).enabled).toBe(false);
    const events = await flagUpdates(acting.tenant.id, flag.id);
    expect(events.map((e) => (e.metadata as { after: { enabled: boolean } }).after.enabled).sort()).toEqual([
      false,
      true,
    ]);
  });

  test("a rollout and a toggle at once are both kept", async () => {
    const acting = await adminOfNewTenant();
    const flags = t.useCases.manageFlags;
    const flag = await flags.create(acting, { key: t.unique("rollout") });
    await Promise.all([
      flags.setRollout(acting, { id: flag.id, percent: 30 }),
      flags.toggle(acting, flag.id),
    ]);
    const stored = await flagRow(flag.id);
    expect(stored.enabled).toBe(true);
    expect(stored.strategies).toEqual([
      { name: "flexibleRollout", parameters: { rollout: 30, stickiness: "default" } },
    ]);
    expect(await flagUpdates(acting.tenant.id, flag.id)).toHaveLength(2);
  });

  test("a rollout changes the existing rollout strategy, keeping its other parameters", async () => {
    const acting = await adminOfNewTenant();
    const flags = t.useCases.manageFlags;
    const strategies = [{ name: "flexibleRollout", parameters: { rollout: 10, stickiness: "userId" } }];
    const flag = await flags.create(acting, { key: t.unique("sticky"), strategies });
    await flags.setRollout(acting, { id: flag.id, percent: 75 });
    expect((await flagRow(flag.id)).strategies).toEqual([
      { name: "flexibleRollout", parameters: { rollout: 75, stickiness: "userId" } },
    ]);
  });
});

describe("evaluation keys", () => {
  test("key and keys are evaluated together, each once, in the order given", async () => {
    const acting = await adminOfNewTenant();
    const [a, b] = [t.unique("a"), t.unique("b")];
    await t.useCases.manageFlags.create(acting, { key: a, enabled: true });
    const items = await t.useCases.evaluateFlags(acting, { key: a, keys: [b, a] });
    expect(items.map((i) => [i.key, i.reason === "not_found"])).toEqual([
      [a, false],
      [b, true],
    ]);
  });

  test("neither key nor keys evaluates every flag of the tenant", async () => {
    const acting = await adminOfNewTenant();
    const key = t.unique("all");
    await t.useCases.manageFlags.create(acting, { key });
    expect((await t.useCases.evaluateFlags(acting, {})).map((i) => i.key)).toContain(key);
  });
});

describe("new users", () => {
  test("a user created without a role is stored as a member, and audited so", async () => {
    const acting = await adminOfNewTenant();
    const email = `${t.unique("plain")}@example.com`;
    const user = await t.useCases.manageUsers.create(acting, { email });
    expect((await t.db.select().from(users).where(eq(users.id, user.id)))[0]).toMatchObject({
      tenantId: acting.tenant.id,
      role: "member",
    });
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.resourceId, user.id), eq(auditEvents.action, "user.created")));
    expect(event!.metadata).toMatchObject({ role: "member", invited: true });
  });
});
