import { describe, expect, test } from "bun:test";
import { and, asc, eq } from "drizzle-orm";
import { memoryCache } from "../../src/adapters/cache/memory-cache";
import type { DatabaseHandle } from "../../src/adapters/db/database";
import { auditEvents, roleCustomisations, rolePermissions, users } from "../../src/adapters/db/schema";
import { scopedDatabase } from "../../src/adapters/db/scoped-database";
import { repositories, unitOfWork } from "../../src/adapters/db/unit-of-work";
import { systemClock } from "../../src/adapters/system/system-clock";
import { uuidv7Ids } from "../../src/adapters/system/uuidv7-ids";
import type { Acting, Principal, TenantRef } from "../../src/core/domain/acting";
import { tenantScope } from "../../src/core/domain/data-scope";
import { DEFAULT_ROLE_PERMISSIONS, type Permission } from "../../src/core/domain/permissions";
import type { Role } from "../../src/core/domain/roles";
import { makeEditRole } from "../../src/core/usecases/roles/edit-role";
import { makeEffectivePermissions } from "../../src/core/usecases/roles/effective-permissions";
import { embeddedDatabase, realPostgres } from "../support/resources";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const drivers: [string, () => Promise<DatabaseHandle | null>][] = [
  ["pglite", embeddedDatabase],
  ["postgres", realPostgres],
];
const origin = { ip: null, userAgent: null, requestId: null };
const acting = (principal: Principal, tenant: TenantRef): Acting => ({
  principal,
  home: tenant,
  tenant,
  origin,
});
const slug = () => `rp-${Bun.randomUUIDv7().slice(-12)}`;

for (const [driver, open] of drivers) {
  describe(`role permissions on ${driver}`, async () => {
    const handle = await open();
    const maybe = handle ? test : test.skip;
    const h = handle as DatabaseHandle;
    const repos = () => repositories(h.db, systemClock, uuidv7Ids);
    const uow = () => unitOfWork(scopedDatabase(h), systemClock, uuidv7Ids);
    const newTenant = async (): Promise<TenantRef> => {
      const t = await repos().tenants.create({ id: uuidv7Ids.next(), name: "T", slug: slug(), plan: "free" });
      return { id: t.id, slug: t.slug, name: t.name, plan: t.plan, status: t.status };
    };
    const newActor = async (tenant: TenantRef, role: Role): Promise<Principal> => {
      const user = await repos().users.create({
        id: uuidv7Ids.next(),
        tenantId: tenant.id,
        email: `${role}-${Bun.randomUUIDv7().slice(-12)}@example.com`,
        passwordHash: null,
        role,
      });
      return { userId: user.id, tenantId: tenant.id, sessionId: uuidv7Ids.next(), role };
    };
    const wired = () => {
      const cache = memoryCache();
      const permissions = makeEffectivePermissions({
        uow: uow(),
        cache,
        ttlSeconds: 300,
      });
      return { cache, permissions, edit: makeEditRole({ uow: uow(), permissions }) };
    };
    const auditOf = (tenantId: string) =>
      h.db.select().from(auditEvents).where(eq(auditEvents.tenantId, tenantId)).orderBy(asc(auditEvents.seq));

    maybe("a tenant that never customised a role has no stored grants", async () => {
      const tenant = await newTenant();
      expect(await repos().rolePermissions.grantsOf(tenant.id)).toEqual({});
    });

    maybe("replace stores a role's grants, and replacing again replaces them", async () => {
      const tenant = await newTenant();
      await uow().transaction(tenantScope(tenant.id), (r) =>
        r.rolePermissions.replace(tenant.id, "member", ["profile:read", "users:read"]),
      );
      await uow().transaction(tenantScope(tenant.id), (r) =>
        r.rolePermissions.replace(tenant.id, "member", ["users:read", "flags:read"]),
      );
      const stored = await repos().rolePermissions.grantsOf(tenant.id);
      expect(Object.keys(stored)).toEqual(["member"]);
      expect([...stored.member!].sort()).toEqual(["flags:read", "users:read"]);
    });

    maybe("a role customised to nothing is told apart from one never customised", async () => {
      const tenant = await newTenant();
      await uow().transaction(tenantScope(tenant.id), (r) =>
        r.rolePermissions.replace(tenant.id, "guest", []),
      );
      expect(await repos().rolePermissions.grantsOf(tenant.id)).toEqual({ guest: [] });
    });

    maybe("grantsOf one role returns that role alone", async () => {
      const tenant = await newTenant();
      await uow().transaction(tenantScope(tenant.id), async (r) => {
        await r.rolePermissions.replace(tenant.id, "guest", ["profile:read"]);
        await r.rolePermissions.replace(tenant.id, "member", ["users:read"]);
      });
      expect(await repos().rolePermissions.grantsOf(tenant.id, "member")).toEqual({ member: ["users:read"] });
      expect(await repos().rolePermissions.grantsOf(tenant.id, "admin")).toEqual({});
    });

    maybe("grants are scoped to their tenant", async () => {
      const a = await newTenant();
      const b = await newTenant();
      await uow().transaction(tenantScope(a.id), (r) =>
        r.rolePermissions.replace(a.id, "member", ["users:read"]),
      );
      expect(await repos().rolePermissions.grantsOf(b.id)).toEqual({});
    });

    maybe("a replace in a failed transaction leaves nothing behind", async () => {
      const tenant = await newTenant();
      await expect(
        uow().transaction(tenantScope(tenant.id), async (r) => {
          await r.rolePermissions.replace(tenant.id, "member", ["users:read"]);
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect(await repos().rolePermissions.grantsOf(tenant.id)).toEqual({});
    });

    maybe("the database refuses grants of a role the tenant has not customised", async () => {
      const tenant = await newTenant();
      const orphan = async () => {
        await h.db
          .insert(rolePermissions)
          .values({ tenantId: tenant.id, role: "member", permission: "users:read" });
      };
      await expect(orphan()).rejects.toThrow();
    });

    maybe("a stored permission no longer in the catalog grants nothing", async () => {
      const tenant = await newTenant();
      await h.db.insert(roleCustomisations).values({ tenantId: tenant.id, role: "member" });
      await h.db.insert(rolePermissions).values([
        { tenantId: tenant.id, role: "member", permission: "users:read" },
        { tenantId: tenant.id, role: "member", permission: "reports:export" },
      ]);
      expect(await repos().rolePermissions.grantsOf(tenant.id)).toEqual({ member: ["users:read"] });
    });

    maybe(
      "a change is stored with its audit event, before and after, and drops the cached permissions",
      async () => {
        const tenant = await newTenant();
        const admin = await newActor(tenant, "admin");
        const { cache, permissions, edit } = wired();
        expect((await permissions.effectivePermissions(tenant, "member")).has("users:create")).toBe(false);

        const view = await edit.addPermission(acting(admin, tenant), {
          role: "member",
          permission: "users:create",
        });
        expect(view).toMatchObject({ role: "member", customised: true });
        expect(view.permissions).toContain("users:create");
        expect((await repos().rolePermissions.grantsOf(tenant.id)).member).toContain("users:create");
        expect((await permissions.effectivePermissions(tenant, "member")).has("users:create")).toBe(true);
        expect(await cache.get(`role-permissions:${tenant.id}`)).toBeDefined();

        const [event] = await auditOf(tenant.id);
        expect(event).toMatchObject({
          action: "role.permissions_changed",
          outcome: "success",
          actorId: admin.userId,
          resourceType: "role",
          resourceId: "member",
        });
        expect(event!.metadata).toEqual({
          before: [...DEFAULT_ROLE_PERMISSIONS.member],
          after: view.permissions,
        });
      },
    );

    maybe("an escalation changes nothing and is audited as denied", async () => {
      const tenant = await newTenant();
      const member = await newActor(tenant, "member");
      const admin = await newActor(tenant, "admin");
      const { edit } = wired();
      await edit.addPermission(acting(admin, tenant), { role: "member", permission: "roles:manage" });
      const before = await repos().rolePermissions.grantsOf(tenant.id);

      await expect(
        edit.addPermission(acting(member, tenant), { role: "guest", permission: "users:delete" }),
      ).rejects.toMatchObject({
        code: "ROLE_ESCALATION",
      });
      expect(await repos().rolePermissions.grantsOf(tenant.id)).toEqual(before);
      const events = await auditOf(tenant.id);
      expect(events.map((e) => e.outcome)).toEqual(["success", "denied"]);
      expect(events[1]).toMatchObject({ actorId: member.userId, resourceId: "guest" });
    });

    maybe("an edit that changes nothing writes nothing", async () => {
      const tenant = await newTenant();
      const admin = await newActor(tenant, "admin");
      const { edit } = wired();
      const view = await edit.addPermission(acting(admin, tenant), {
        role: "member",
        permission: "users:read",
      });
      expect(view.customised).toBe(false);
      await edit.removePermission(acting(admin, tenant), { role: "member", permission: "users:delete" });
      expect(await repos().rolePermissions.grantsOf(tenant.id)).toEqual({});
      expect(await auditOf(tenant.id)).toEqual([]);
    });

    maybe("the actor's stored role counts, not the token's", async () => {
      const tenant = await newTenant();
      const admin = await newActor(tenant, "admin");
      const { edit } = wired();
      await h.db.update(users).set({ role: "member" }).where(eq(users.id, admin.userId));
      await expect(
        edit.addPermission(acting(admin, tenant), { role: "guest", permission: "users:read" }),
      ).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
    });

    maybe("concurrent edits of one tenant are serialised: none is lost", async () => {
      const tenant = await newTenant();
      const admin = await newActor(tenant, "admin");
      const { edit } = wired();
      const wanted: Permission[] = [
        "users:read",
        "users:create",
        "users:update",
        "flags:read",
        "flags:write",
        "audit:read",
      ];
      await Promise.all(
        wanted.map((p) => edit.addPermission(acting(admin, tenant), { role: "guest", permission: p })),
      );
      const stored = await repos().rolePermissions.grantsOf(tenant.id, "guest");
      expect([...stored.guest!].sort()).toEqual([...DEFAULT_ROLE_PERMISSIONS.guest, ...wanted].sort());
      const events = await h.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, "role.permissions_changed")));
      expect(events).toHaveLength(wanted.length);
    });
  });
}
