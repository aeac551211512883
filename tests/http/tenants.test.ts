import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents, sessions, tenants } from "../../src/adapters/db/schema";
import { TEST_PASSWORD, type TestApp, testApp } from "../support/app";
import { testKeyPrefix, testRedisUrl } from "../support/resources";
import { allowDatabaseStartup } from "../support/slow-setup";

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
    const res = await t.call("POST", "/api/v1/tenants", {
      token: root.accessToken,
      body: { name: "Acme", slug, plan: "pro", settings: { locale: "en-GB" } },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: "Acme",
      slug,
      plan: "pro",
      status: "active",
      settings: { locale: "en-GB" },
      domain: null,
    });
    expect(await tenantRow(res.body.id)).toMatchObject({ slug, plan: "pro", status: "active" });
    expect(await auditOf(res.body.id, "tenant.created")).toHaveLength(1);
  });

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
    const res = await t.call("POST", "/api/v1/tenants", {
      token: root.accessToken,
      body: { name: "Dup", slug: existing.slug },
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("SLUG_TAKEN");
  });

  test("a tenant admin cannot create tenants", async () => {
    const { admin } = await tenantWithAdmin();
    const slug = t.unique("nope");
    const res = await t.call("POST", "/api/v1/tenants", {
      token: admin.accessToken,
      body: { name: "Nope", slug },
    });
    expect(res.status).toBe(403);
    expect(await t.db.select().from(tenants).where(eq(tenants.slug, slug))).toEqual([]);
  });
});

describe("GET /tenants", () => {
  test("pages through tenants with a cursor; limit is capped at 200", async () => {
    for (let i = 0; i < 3; i++) await t.createTenant();
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await t.call("GET", `/api/v1/tenants?limit=2${cursor ? `&cursor=${cursor}` : ""}`, {
        token: root.accessToken,
      });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      for (const item of res.body.items) {
        expect(seen.has(item.id)).toBe(false);
        seen.add(item.id);
      }
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 1000);
    const total = (await t.db.select({ id: tenants.id }).from(tenants)).length;
    expect(seen.size).toBe(total);

    expect((await t.call("GET", "/api/v1/tenants?limit=201", { token: root.accessToken })).status).toBe(422);
    expect((await t.call("GET", "/api/v1/tenants?limit=0", { token: root.accessToken })).status).toBe(422);
    const bad = await t.call("GET", "/api/v1/tenants?cursor=not-a-cursor", { token: root.accessToken });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe("INVALID_CURSOR");
  });

  test("filters by status", async () => {
    const tenant = await t.createTenant({ status: "suspended" });
    const res = await t.call("GET", "/api/v1/tenants?status=suspended&limit=200", {
      token: root.accessToken,
    });
    expect(res.body.items.every((x: { status: string }) => x.status === "suspended")).toBe(true);
    expect(res.body.items.map((x: { id: string }) => x.id)).toContain(tenant.id);
  });

  test("is for platform admins only", async () => {
    const { admin } = await tenantWithAdmin();
    expect((await t.call("GET", "/api/v1/tenants", { token: admin.accessToken })).status).toBe(403);
  });
});

describe("GET and PUT /tenants/{id}", () => {
  test("members read their own tenant; another tenant is 404", async () => {
    const a = await tenantWithAdmin();
    const b = await tenantWithAdmin();
    expect(
      (await t.call("GET", `/api/v1/tenants/${a.tenant.id}`, { token: a.member.accessToken })).body.slug,
    ).toBe(a.tenant.slug);
    expect(
      (await t.call("GET", `/api/v1/tenants/${b.tenant.id}`, { token: a.admin.accessToken })).status,
    ).toBe(404);
    expect((await t.call("GET", `/api/v1/tenants/${b.tenant.id}`, { token: root.accessToken })).status).toBe(
      200,
    );
  });

  test("a tenant admin renames their tenant and sets settings; audited with before and after", async () => {
    const { tenant, admin } = await tenantWithAdmin();
    const res = await t.call("PUT", `/api/v1/tenants/${tenant.id}`, {
      token: admin.accessToken,
      body: { name: "Renamed", settings: { theme: "dark" } },
    });
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
    const plan = await t.call("PUT", `/api/v1/tenants/${a.tenant.id}`, {
      token: a.admin.accessToken,
      body: { plan: "enterprise" },
    });
    expect(plan.status).toBe(403);
    const cross = await t.call("PUT", `/api/v1/tenants/${b.tenant.id}`, {
      token: a.admin.accessToken,
      body: { name: "Hijacked" },
    });
    expect(cross.status).toBe(404);
    expect((await tenantRow(a.tenant.id)).plan).toBe("free");
    expect((await tenantRow(b.tenant.id)).name).toBe("Test tenant");
  });

  test("a member cannot update their tenant", async () => {
    const { tenant, member } = await tenantWithAdmin();
    expect(
      (
        await t.call("PUT", `/api/v1/tenants/${tenant.id}`, {
          token: member.accessToken,
          body: { name: "X" },
        })
      ).status,
    ).toBe(403);
  });

  test("a platform admin changes the plan and domain; a taken domain is 409", async () => {
    const a = await t.createTenant();
    const b = await t.createTenant();
    const domain = `${t.unique("d")}.example.com`;
    expect(
      (
        await t.call("PUT", `/api/v1/tenants/${a.id}`, {
          token: root.accessToken,
          body: { plan: "pro", domain },
        })
      ).status,
    ).toBe(200);
    expect(await tenantRow(a.id)).toMatchObject({ plan: "pro", domain });
    const taken = await t.call("PUT", `/api/v1/tenants/${b.id}`, {
      token: root.accessToken,
      body: { domain },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe("DOMAIN_TAKEN");
  });
});

describe("tenant lifecycle", () => {
  test("suspending takes effect on the next request; activating restores it", async () => {
    const { tenant, member } = await tenantWithAdmin();
    expect((await t.call("GET", "/api/v1/users/me", { token: member.accessToken })).status).toBe(200);

    const res = await t.call("POST", `/api/v1/tenants/${tenant.id}/suspend`, {
      token: root.accessToken,
      body: { reason: "unpaid" },
    });
    expect(res.status).toBe(200);
    expect((await tenantRow(tenant.id)).status).toBe("suspended");
    const me = await t.call("GET", "/api/v1/users/me", { token: member.accessToken });
    expect(me.status).toBe(403);
    expect(me.body.code).toBe("TENANT_INACTIVE");
    expect(
      (await t.call("POST", "/api/v1/auth/refresh", { body: { refreshToken: member.refreshToken } })).status,
    ).toBe(403);
    const login = await t.call("POST", "/api/v1/auth/login", {
      body: { email: member.email, password: TEST_PASSWORD, tenant: tenant.slug },
    });
    expect(login.body.code).toBe("TENANT_INACTIVE");
    const [event] = await auditOf(tenant.id, "tenant.suspended");
    expect(event!.metadata).toEqual({ from: "active", to: "suspended", reason: "unpaid" });

    expect(
      (await t.call("POST", `/api/v1/tenants/${tenant.id}/activate`, { token: root.accessToken })).status,
    ).toBe(200);
    expect((await t.call("GET", "/api/v1/users/me", { token: member.accessToken })).status).toBe(200);
  });

  test("cancelling is final and ends every session of the tenant", async () => {
    const { tenant, member } = await tenantWithAdmin();
    expect(
      (await t.call("POST", `/api/v1/tenants/${tenant.id}/cancel`, { token: root.accessToken })).status,
    ).toBe(200);
    const live = await t.db.select().from(sessions).where(eq(sessions.tenantId, tenant.id));
    expect(live.every((s) => s.revokedAt !== null && s.revokedReason === "tenant_inactive")).toBe(true);
    for (const action of ["activate", "suspend", "cancel"]) {
      const res = await t.call("POST", `/api/v1/tenants/${tenant.id}/${action}`, { token: root.accessToken });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe("INVALID_TRANSITION");
    }
    expect((await tenantRow(tenant.id)).status).toBe("cancelled");
    // The session ended with the tenant, so the token is refused as such.
    expect((await t.call("GET", "/api/v1/users/me", { token: member.accessToken })).status).toBe(401);
  });

  test("an active tenant cannot be activated, nor the platform tenant suspended", async () => {
    const tenant = await t.createTenant();
    expect(
      (await t.call("POST", `/api/v1/tenants/${tenant.id}/activate`, { token: root.accessToken })).status,
    ).toBe(409);
    const [platform] = await t.db.select().from(tenants).where(eq(tenants.slug, "platform"));
    const res = await t.call("POST", `/api/v1/tenants/${platform!.id}/suspend`, { token: root.accessToken });
    expect(res.status).toBe(409);
    expect((await tenantRow(platform!.id)).status).toBe("active");
  });

  test("a tenant admin cannot suspend their own tenant or another", async () => {
    const a = await tenantWithAdmin();
    const b = await tenantWithAdmin();
    for (const id of [a.tenant.id, b.tenant.id]) {
      expect(
        (await t.call("POST", `/api/v1/tenants/${id}/suspend`, { token: a.admin.accessToken })).status,
      ).toBe(403);
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
      expect((await b.call("GET", "/api/v1/users/me", { token: accessToken })).status).toBe(200);
      await a.call("POST", `/api/v1/tenants/${tenant.id}/suspend`, { token: rootA.accessToken });
      expect((await b.call("GET", "/api/v1/users/me", { token: accessToken })).status).toBe(403);
    },
  );
});
