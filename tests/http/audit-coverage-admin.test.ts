/**
 * Every change to users, tenants and roles, and every refusal, produces exactly one audit event with
 * the right fields; a change whose transaction fails leaves neither the change nor its event.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { sessions, tenants, users } from "../../src/adapters/db/schema";
import { cacheKeys } from "../../src/core/domain/cache-keys";
import type { Repositories, UnitOfWork } from "../../src/core/ports/repositories";
import { makeManageTenants } from "../../src/core/usecases/tenants/manage-tenants";
import { type TestApp, testApp } from "../support/app";
import { eventsAfter, eventsOf, lastSeq } from "../support/audit";
import { allowDatabaseStartup } from "../support/slow-setup";
import { problemOf } from "../support/typed-client";

allowDatabaseStartup();

let t: TestApp;
let root: { accessToken: string };
let platformId: string;
beforeAll(async () => {
  t = await testApp();
  root = await t.platformAdmin();
  platformId = (await t.useCases.tenants.activeBySlug("platform")).id;
});

async function team() {
  const tenant = await t.createTenant();
  const admin = await t.createUser(tenant.id, { role: "admin" });
  const member = await t.createUser(tenant.id, { role: "member" });
  return {
    tenant,
    admin: { ...admin, token: (await t.login(tenant.slug, admin.email)).accessToken },
    member: { ...member, token: (await t.login(tenant.slug, member.email)).accessToken },
  };
}

describe("user events", () => {
  test("creating a user: one user.created, by the admin, on the new user", async () => {
    const { tenant, admin } = await team();
    const email = `${t.unique("new")}@example.com`;
    let id = "";
    const events = await eventsOf(t.db, tenant.id, async () => {
      const res = await t
        .api(admin.token)
        .users.post({ email, role: "member", password: "A-Fresh-Passphrase-42" });
      expect(res.status).toBe(201);
      id = res.data!.id;
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "user.created",
      outcome: "success",
      actorType: "user",
      actorId: admin.id,
      resourceType: "user",
      resourceId: id,
      metadata: { email, role: "member", invited: false },
    });
    expect(JSON.stringify(events)).not.toContain("A-Fresh-Passphrase-42");
  });

  test("updating names: one user.updated with before and after of the changed fields only", async () => {
    const { tenant, admin, member } = await team();
    const events = await eventsOf(t.db, tenant.id, async () => {
      const res = await t.api(admin.token).users({ id: member.id }).put({ firstName: "Ada", lastName: null });
      expect(res.status).toBe(200);
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "user.updated", actorId: admin.id, resourceId: member.id });
    // lastName was null already: not a change.
    expect(events[0]!.metadata).toEqual({
      before: { firstName: null },
      after: { firstName: "Ada" },
      sessionsEnded: 0,
    });
  });

  test("changing a role: one user.role_changed with the old and new role", async () => {
    const { tenant, admin, member } = await team();
    const events = await eventsOf(t.db, tenant.id, async () => {
      const res = await t.api(admin.token).users({ id: member.id }).put({ role: "guest" });
      expect(res.status).toBe(200);
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "user.role_changed",
      resourceId: member.id,
      metadata: { before: { role: "member" }, after: { role: "guest" }, sessionsEnded: 1 },
    });
  });

  test("deactivating and deleting a user: one event each", async () => {
    const { tenant, admin, member } = await team();
    const deactivated = await eventsOf(t.db, tenant.id, () =>
      t.api(admin.token).users({ id: member.id }).put({ isActive: false }),
    );
    expect(deactivated.map((e) => [e.action, e.metadata])).toEqual([
      ["user.updated", { before: { isActive: true }, after: { isActive: false }, sessionsEnded: 1 }],
    ]);
    const deleted = await eventsOf(t.db, tenant.id, async () => {
      expect((await t.api(admin.token).users({ id: member.id }).delete()).status).toBe(204);
    });
    expect(deleted).toHaveLength(1);
    expect(deleted[0]).toMatchObject({
      action: "user.deleted",
      actorId: admin.id,
      resourceId: member.id,
      metadata: { email: member.email, role: "member" },
    });
  });
});

describe("tenant events", () => {
  test("create, update and every status change: one event each, in the tenant", async () => {
    const slug = t.unique("acme");
    const created = await t.api(root.accessToken).tenants.post({ name: "Acme", slug });
    expect(created.status).toBe(201);
    const id = created.data!.id;
    const tenant = t.api(root.accessToken).tenants({ id });
    // The new tenant's chain starts with its creation.
    const creation = await eventsAfter(t.db, id);
    expect(creation).toHaveLength(1);
    expect(creation[0]).toMatchObject({
      seq: 1,
      action: "tenant.created",
      actorType: "user",
      resourceType: "tenant",
      resourceId: id,
      metadata: { slug, plan: "free" },
    });

    const updated = await eventsOf(t.db, id, () => tenant.put({ name: "Acme Ltd", plan: "free" }));
    // The plan did not change: only the name is in before/after.
    expect(updated.map((e) => [e.action, e.metadata])).toEqual([
      ["tenant.updated", { before: { name: "Acme" }, after: { name: "Acme Ltd" } }],
    ]);
    const lifecycle: unknown[][] = [];
    for (const action of ["suspend", "activate", "cancel"] as const) {
      const events = await eventsOf(t.db, id, async () => {
        const res = await tenant[action].post({ reason: "test" });
        expect(res.status).toBe(200);
      });
      lifecycle.push(...events.map((e) => [e.action, e.resourceId, e.outcome, e.metadata]));
    }
    expect(lifecycle).toEqual([
      ["tenant.suspended", id, "success", { from: "active", to: "suspended", reason: "test" }],
      ["tenant.activated", id, "success", { from: "suspended", to: "active", reason: "test" }],
      ["tenant.cancelled", id, "success", { from: "active", to: "cancelled", reason: "test" }],
    ]);
  });
});

describe("role permission events", () => {
  test("a change: one role.permissions_changed with before and after", async () => {
    const { tenant, admin } = await team();
    const events = await eventsOf(t.db, tenant.id, async () => {
      const res = await t
        .api(admin.token)
        .permissions.roles({ role: "member" })
        .put({ permissions: ["users:read"] });
      expect(res.status).toBe(200);
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "role.permissions_changed",
      outcome: "success",
      actorId: admin.id,
      resourceType: "role",
      resourceId: "member",
      metadata: { after: ["users:read"] },
    });
  });

  test("a refused escalation: one role.permissions_changed, denied, and no second access.denied", async () => {
    const { tenant, admin } = await team();
    const events = await eventsOf(t.db, tenant.id, async () => {
      const res = await t.api(admin.token).permissions.roles({ role: "admin" }).put({ permissions: [] });
      expect(res.status).toBe(403);
      expect(problemOf(res)?.code).toBe("ROLE_ESCALATION");
    });
    expect(events.map((e) => [e.action, e.outcome])).toEqual([["role.permissions_changed", "denied"]]);
  });
});

describe("permission denials", () => {
  const denied = (endpoint: string, code: string, actorId: string) => ({
    action: "access.denied",
    outcome: "denied",
    actorType: "user",
    actorId,
    resourceType: "endpoint",
    resourceId: endpoint,
    metadata: { code, reason: expect.any(String) },
  });

  test("a route's missing permission: one access.denied in the caller's tenant", async () => {
    const { tenant, member } = await team();
    const events = await eventsOf(t.db, tenant.id, async () => {
      expect((await t.api(member.token).tenants.get({ query: {} })).status).toBe(403);
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject(denied("GET /api/v1/tenants", "FORBIDDEN", member.id));
  });

  test("a use case's refusal (creating a user without users:create): one access.denied, nothing created", async () => {
    const { tenant, member } = await team();
    const events = await eventsOf(t.db, tenant.id, async () => {
      const res = await t
        .api(member.token)
        .users.post({ email: `${t.unique("x")}@example.com`, role: "guest" });
      expect(res.status).toBe(403);
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject(denied("POST /api/v1/users", "FORBIDDEN", member.id));
  });

  test("an escalation in a user update: one access.denied with ROLE_ESCALATION, the user unchanged", async () => {
    const { tenant, admin, member } = await team();
    const events = await eventsOf(t.db, tenant.id, async () => {
      const res = await t.api(admin.token).users({ id: member.id }).put({ role: "super_admin" });
      expect(res.status).toBe(403);
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject(denied("PUT /api/v1/users/:id", "ROLE_ESCALATION", admin.id));
    expect((await t.db.select().from(users).where(eq(users.id, member.id)))[0]!.role).toBe("member");
  });

  test("naming another tenant: one access.denied TENANT_MISMATCH in the caller's own tenant, none in the other", async () => {
    const a = await team();
    const b = await team();
    const before = await lastSeq(t.db, b.tenant.id);
    const events = await eventsOf(t.db, a.tenant.id, async () => {
      const res = await t.api(a.admin.token, { "x-tenant": b.tenant.slug }).users.get({ query: {} });
      expect(res.status).toBe(403);
    });
    expect(events.map((e) => [e.action, e.metadata.code])).toEqual([["access.denied", "TENANT_MISMATCH"]]);
    expect(await lastSeq(t.db, b.tenant.id)).toBe(before);
  });

  test("a platform admin refused in another tenant is recorded in that tenant", async () => {
    const b = await team();
    const events = await eventsOf(t.db, b.tenant.id, async () => {
      const res = await t
        .api(root.accessToken, { "x-tenant": b.tenant.slug })
        .users.post({ email: `${t.unique("boss")}@example.com`, role: "super_admin" });
      expect(res.status).toBe(403);
    });
    expect(events.map((e) => [e.action, e.metadata.code])).toEqual([["access.denied", "ROLE_ESCALATION"]]);
  });

  test("an inactive tenant is not a refusal of the caller: nothing is recorded", async () => {
    const { tenant, member } = await team();
    await t.db.update(tenants).set({ status: "suspended" }).where(eq(tenants.id, tenant.id));
    await t.cache.delete(cacheKeys.tenantById(tenant.id));
    const events = await eventsOf(t.db, tenant.id, async () => {
      const res = await t.api(member.token).users.me.get();
      expect(res.status).toBe(403);
      expect(problemOf(res)?.code).toBe("TENANT_INACTIVE");
    });
    expect(events).toEqual([]);
  });
});

describe("a failed transaction leaves neither the change nor its event", () => {
  /** The unit of work, with one repository method failing as a database could. */
  function failing<K extends keyof Repositories>(repo: K, method: keyof Repositories[K]): UnitOfWork {
    return {
      transaction: (scope, work) =>
        t.uow.transaction(scope, (repos) =>
          work({
            ...repos,
            [repo]: {
              ...repos[repo],
              [method]: async () => {
                throw new Error("simulated database failure");
              },
            },
          }),
        ),
    };
  }

  const principalOf = (token: string) => {
    const claims = t.signer.verify(token, t.clock.now())!;
    return { userId: claims.sub, tenantId: claims.tid, sessionId: claims.sid, role: claims.role };
  };
  const origin = { ip: null, userAgent: null, requestId: null };

  test("deleting a user when the delete fails after the event was appended", async () => {
    const { tenant, admin, member } = await team();
    const manageUsers = t.manageUsersWith({ uow: failing("users", "delete") });
    const ref = await t.useCases.tenants.activeById(tenant.id);
    const events = await eventsOf(t.db, tenant.id, async () => {
      await expect(
        manageUsers.delete(
          { principal: principalOf(admin.token), home: ref, tenant: ref, origin },
          member.id,
        ),
      ).rejects.toThrow("simulated database failure");
    });
    expect(events).toEqual([]);
    expect(await t.db.select().from(users).where(eq(users.id, member.id))).toHaveLength(1);
    const live = await t.db.select().from(sessions).where(eq(sessions.userId, member.id));
    expect(live.every((s) => s.revokedAt === null)).toBe(true);
  });

  test("cancelling a tenant when ending its sessions fails", async () => {
    const { tenant } = await team();
    const platform = await t.useCases.tenants.activeById(platformId);
    const manageTenants = makeManageTenants({
      uow: failing("sessions", "revokeAllOfTenant"),
      authorize: t.useCases.authorize,
      cache: t.cache,
      clock: t.clock,
      ids: t.ids,
      tenantCacheTtlSeconds: 60,
      sessionCacheTtlSeconds: 60,
    });
    const events = await eventsOf(t.db, tenant.id, async () => {
      await expect(
        manageTenants.changeStatus(
          { principal: principalOf(root.accessToken), home: platform, tenant: platform, origin },
          { id: tenant.id, action: "cancel" },
        ),
      ).rejects.toThrow("simulated database failure");
    });
    expect(events).toEqual([]);
    expect((await t.db.select().from(tenants).where(eq(tenants.id, tenant.id)))[0]!.status).toBe("active");
  });
});
