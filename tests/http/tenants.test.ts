import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents, sessions, tenants } from "../../src/adapters/db/schema";
import { TEST_PASSWORD, type TestApp, testApp } from "../support/app";
import { testKeyPrefix, testRedisUrl } from "../support/resources";
import { allowDatabaseStartup } from "../support/slow-setup";
import { problemOf } from "../support/typed-client";

allowDatabaseStartup();

let t: TestApp;
let root: { accessToken: string };
beforeAll(async () => {
  t = await testApp();
  root = await t.platformAdmin();
});

const tenantRow = async (id: string) => (await t.db.select().from(tenants).where(eq(tenants.id, id)))[0]!;
const auditOf = async (tenantId: string, action: string) =>
  t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, action)));

async function tenantWithAdmin() {
  const tenant = await t.createTenant();
  const admin = await t.createUser(tenant.id, { role: "admin" });
  const member = await t.createUser(tenant.id, { role: "member" });
  return {
    tenant,
    admin: { ...admin, ...(await t.login(tenant.slug, admin.email)) },
    member: { ...member, ...(await t.login(tenant.slug, member.email)) },
  };
}

describe("POST /tenants", () => {
  test("a platform admin creates a tenant: 201, stored, audited", async () => {
    const slug = t.unique("acme");
    const res = await t
      .api(root.accessToken)
      .tenants.post({ name: "Acme", slug, plan: "pro", settings: { locale: "en-GB" } });
    expect(res.status).toBe(201);
    expect(res.data).toMatchObject({
      name: "Acme",
      slug,
      plan: "pro",
      status: "active",
      settings: { locale: "en-GB" },
      domain: null,
    });
    expect(await tenantRow(res.data!.id)).toMatchObject({ slug, plan: "pro", status: "active" });
    expect(await auditOf(res.data!.id, "tenant.created")).toHaveLength(1);
  });

  // Raw calls: some of these bodies are outside the request type, which is the point.
  test.each([
    [{ slug: "Bad_Slug" }, 422, "INVALID_SLUG"],
    [{ slug: "-leading" }, 422, "INVALID_SLUG"],
    [{ slug: "admin" }, 422, "SLUG_RESERVED"],
    [{ slug: "platform" }, 422, "SLUG_RESERVED"],
    [{ settings: { "bad key": 1 } }, 422, "INVALID_SETTINGS"],
    [{ settings: { deep: JSON.parse(`${"[".repeat(20)}${"]".repeat(20)}`) } }, 422, "INVALID_SETTINGS"],
    [{ status: "suspended" }, 422, "VALIDATION_FAILED"],
  ])("bad input %o is refused (%i %s) and creates nothing", async (override, status, code) => {
    const slug = t.unique("x");
    const res = await t.call("POST", "/api/v1/tenants", {
      token: root.accessToken,
      body: { name: "X", slug, ...override },
    });
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
    expect(
      await t.db
        .select()
        .from(tenants)
        .where(eq(tenants.slug, (override as { slug?: string }).slug ?? slug)),
    ).toEqual((override as { slug?: string }).slug === "platform" ? [expect.anything()] : []);
  });

  test("a taken slug is 409 SLUG_TAKEN", async () => {
    const existing = await t.createTenant();
    const res = await t.api(root.accessToken).tenants.post({ name: "Dup", slug: existing.slug });
    expect(res.status).toBe(409);
    expect(problemOf(res)?.code).toBe("SLUG_TAKEN");
  });

  test("a tenant admin cannot create tenants", async () => {
    const { admin } = await tenantWithAdmin();
    const slug = t.unique("nope");
    const res = await t.api(admin.accessToken).tenants.post({ name: "Nope", slug });
    expect(res.status).toBe(403);
    expect(await t.db.select().from(tenants).where(eq(tenants.slug, slug))).toEqual([]);
  });
});

describe("GET /tenants", () => {
  test("pages through tenants with a cursor; limit is capped at 200", async () => {
    for (let i = 0; i < 3; i++) await t.createTenant();
    const seen = new Set<string>();
    const list = t.api(root.accessToken).tenants;
    const pageAfter = (cursor: string | null) =>
      list.get({ query: { limit: 2, cursor: cursor ?? undefined } });
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await pageAfter(cursor);
      expect(res.status).toBe(200);
      const page = res.data!;
      expect(page.items.length).toBeLessThanOrEqual(2);
      for (const item of page.items) {
        expect(seen.has(item.id)).toBe(false);
        seen.add(item.id);
      }
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 1000);
    const total = (await t.db.select({ id: tenants.id }).from(tenants)).length;
    expect(seen.size).toBe(total);

    expect((await list.get({ query: { limit: 201 } })).status).toBe(422);
    expect((await list.get({ query: { limit: 0 } })).status).toBe(422);
    const bad = await list.get({ query: { cursor: "not-a-cursor" } });
    expect(bad.status).toBe(422);
    expect(problemOf(bad)?.code).toBe("INVALID_CURSOR");
  });

  test("filters by status", async () => {
    const tenant = await t.createTenant({ status: "suspended" });
    const res = await t.api(root.accessToken).tenants.get({ query: { status: "suspended", limit: 200 } });
    expect(res.data!.items.every((x) => x.status === "suspended")).toBe(true);
    expect(res.data!.items.map((x) => x.id)).toContain(tenant.id);
  });

  test("is for platform admins only", async () => {
    const { admin } = await tenantWithAdmin();
    expect((await t.api(admin.accessToken).tenants.get({ query: {} })).status).toBe(403);
  });
});

describe("GET and PUT /tenants/{id}", () => {
  test("members read their own tenant; another tenant is 404", async () => {
    const a = await tenantWithAdmin();
    const b = await tenantWithAdmin();
    expect((await t.api(a.member.accessToken).tenants({ id: a.tenant.id }).get()).data?.slug).toBe(
      a.tenant.slug,
    );
    expect((await t.api(a.admin.accessToken).tenants({ id: b.tenant.id }).get()).status).toBe(404);
    expect((await t.api(root.accessToken).tenants({ id: b.tenant.id }).get()).status).toBe(200);
  });

  test("a tenant admin renames their tenant and sets settings; audited with before and after", async () => {
    const { tenant, admin } = await tenantWithAdmin();
    const res = await t
      .api(admin.accessToken)
      .tenants({ id: tenant.id })
      .put({ name: "Renamed", settings: { theme: "dark" } });
    expect(res.status).toBe(200);
    expect(await tenantRow(tenant.id)).toMatchObject({ name: "Renamed", settings: { theme: "dark" } });
    const [event] = await auditOf(tenant.id, "tenant.updated");
    expect(event!.metadata).toEqual({
      before: { name: "Test tenant", settings: {} },
      after: { name: "Renamed", settings: { theme: "dark" } },
    });
  });

  test("a tenant admin cannot change the plan or domain, nor update another tenant", async () => {
    const a = await tenantWithAdmin();
    const b = await tenantWithAdmin();
    const plan = await t.api(a.admin.accessToken).tenants({ id: a.tenant.id }).put({ plan: "enterprise" });
    expect(plan.status).toBe(403);
    const cross = await t.api(a.admin.accessToken).tenants({ id: b.tenant.id }).put({ name: "Hijacked" });
    expect(cross.status).toBe(404);
    expect((await tenantRow(a.tenant.id)).plan).toBe("free");
    expect((await tenantRow(b.tenant.id)).name).toBe("Test tenant");
  });

  test("a member cannot update their tenant", async () => {
    const { tenant, member } = await tenantWithAdmin();
    expect((await t.api(member.accessToken).tenants({ id: tenant.id }).put({ name: "X" })).status).toBe(403);
  });

  test("a platform admin changes the plan and domain; a taken domain is 409", async () => {
    const a = await t.createTenant();
    const b = await t.createTenant();
    const domain = `${t.unique("d")}.example.com`;
    expect((await t.api(root.accessToken).tenants({ id: a.id }).put({ plan: "pro", domain })).status).toBe(
      200,
    );
    expect(await tenantRow(a.id)).toMatchObject({ plan: "pro", domain });
    const taken = await t.api(root.accessToken).tenants({ id: b.id }).put({ domain });
    expect(taken.status).toBe(409);
    expect(problemOf(taken)?.code).toBe("DOMAIN_TAKEN");
  });
});

describe("tenant lifecycle", () => {
  test("suspending takes effect on the next request; activating restores it", async () => {
    const { tenant, member } = await tenantWithAdmin();
    const asMember = t.api(member.accessToken);
    expect((await asMember.users.me.get()).status).toBe(200);

    const res = await t.api(root.accessToken).tenants({ id: tenant.id }).suspend.post({ reason: "unpaid" });
    expect(res.status).toBe(200);
    expect((await tenantRow(tenant.id)).status).toBe("suspended");
    const me = await asMember.users.me.get();
    expect(me.status).toBe(403);
    expect(problemOf(me)?.code).toBe("TENANT_INACTIVE");
    expect((await t.api().auth.refresh.post({ refreshToken: member.refreshToken })).status).toBe(403);
    const login = await t
      .api()
      .auth.login.post({ email: member.email, password: TEST_PASSWORD, tenant: tenant.slug });
    expect(problemOf(login)?.code).toBe("TENANT_INACTIVE");
    const [event] = await auditOf(tenant.id, "tenant.suspended");
    expect(event!.metadata).toEqual({ from: "active", to: "suspended", reason: "unpaid" });

    expect((await t.api(root.accessToken).tenants({ id: tenant.id }).activate.post()).status).toBe(200);
    expect((await asMember.users.me.get()).status).toBe(200);
  });

  test("cancelling is final and ends every session of the tenant", async () => {
    const { tenant, member } = await tenantWithAdmin();
    const byId = t.api(root.accessToken).tenants({ id: tenant.id });
    expect((await byId.cancel.post()).status).toBe(200);
    const live = await t.db.select().from(sessions).where(eq(sessions.tenantId, tenant.id));
    expect(live.every((s) => s.revokedAt !== null && s.revokedReason === "tenant_inactive")).toBe(true);
    for (const action of ["activate", "suspend", "cancel"] as const) {
      const res = await byId[action].post();
      expect(res.status).toBe(409);
      expect(problemOf(res)?.code).toBe("INVALID_TRANSITION");
    }
    expect((await tenantRow(tenant.id)).status).toBe("cancelled");
    // The session ended with the tenant, so the token is refused as such.
    expect((await t.api(member.accessToken).users.me.get()).status).toBe(401);
  });

  test("an active tenant cannot be activated, nor the platform tenant suspended", async () => {
    const tenant = await t.createTenant();
    expect((await t.api(root.accessToken).tenants({ id: tenant.id }).activate.post()).status).toBe(409);
    const [platform] = await t.db.select().from(tenants).where(eq(tenants.slug, "platform"));
    const res = await t.api(root.accessToken).tenants({ id: platform!.id }).suspend.post();
    expect(res.status).toBe(409);
    expect((await tenantRow(platform!.id)).status).toBe("active");
  });

  test("a tenant admin cannot suspend their own tenant or another", async () => {
    const a = await tenantWithAdmin();
    const b = await tenantWithAdmin();
    for (const id of [a.tenant.id, b.tenant.id]) {
      expect((await t.api(a.admin.accessToken).tenants({ id }).suspend.post()).status).toBe(403);
      expect((await tenantRow(id)).status).toBe("active");
    }
  });

  (process.env.TEST_REDIS_URL ? test : test.skip)(
    "a suspension through one instance is refused by another at once",
    async () => {
      const shared = { REDIS_URL: (await testRedisUrl())!, CACHE_KEY_PREFIX: testKeyPrefix() };
      const a = await testApp({ env: shared });
      const b = await testApp({ env: shared });
      const rootA = await a.platformAdmin();
      const tenant = await b.createTenant();
      const user = await b.createUser(tenant.id);
      const { accessToken } = await b.login(tenant.slug, user.email);
      expect((await b.api(accessToken).users.me.get()).status).toBe(200);
      await a.api(rootA.accessToken).tenants({ id: tenant.id }).suspend.post();
      expect((await b.api(accessToken).users.me.get()).status).toBe(403);
    },
  );
});
