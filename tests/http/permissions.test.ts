import { beforeAll, describe, expect, test } from "bun:test";
import { and, asc, eq } from "drizzle-orm";
import { auditEvents, roleCustomisations, rolePermissions, tenants } from "../../src/adapters/db/schema";
import { DEFAULT_ROLE_PERMISSIONS, PERMISSIONS } from "../../src/core/domain/permissions";
import type { Role } from "../../src/core/domain/roles";
import { TEST_PASSWORD, type TestApp, testApp } from "../support/app";
import { allowDatabaseStartup } from "../support/slow-setup";
import { problemOf } from "../support/typed-client";

allowDatabaseStartup();

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});

const role = (name: string) => `/api/v1/permissions/roles/${name}`;
/** A role's routes, for the caller with `token`. */
const roleOf = (token: string, name: string) => t.api(token).permissions.roles({ role: name });

async function signIn(roleName: Role = "admin", tenant?: { id: string; slug: string }) {
  const where = tenant ?? (await t.createTenant());
  const user = await t.createUser(where.id, { role: roleName });
  const tokens = await t.login(where.slug, user.email);
  return { tenant: where, user, token: tokens.accessToken };
}

async function platformSignIn(roleName: "admin" | "super_admin") {
  if (roleName === "super_admin") {
    const email = `${t.unique("root")}@example.com`;
    await t.useCases.seedPlatform({ adminEmail: email, adminPassword: TEST_PASSWORD });
    return { token: (await t.login("platform", email)).accessToken };
  }
  const [platform] = await t.db.select().from(tenants).where(eq(tenants.slug, "platform"));
  return signIn(roleName, platform!);
}

const storedOf = async (tenantId: string, name: Role) => ({
  customised: (
    await t.db
      .select()
      .from(roleCustomisations)
      .where(and(eq(roleCustomisations.tenantId, tenantId), eq(roleCustomisations.role, name)))
  ).length,
  permissions: (
    await t.db
      .select()
      .from(rolePermissions)
      .where(and(eq(rolePermissions.tenantId, tenantId), eq(rolePermissions.role, name)))
  )
    .map((r) => r.permission)
    .sort(),
});

const auditOf = (tenantId: string) =>
  t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, "role.permissions_changed")))
    .orderBy(asc(auditEvents.seq));

describe("GET /permissions", () => {
  test("any signed-in user gets the whole catalog grouped by resource, with descriptions", async () => {
    const { token } = await signIn("guest");
    const res = await t.api(token).permissions.get();
    expect(res.status).toBe(200);
    const names = res.data!.items.flatMap((g) => g.permissions.map((p) => p.name));
    expect(names.sort()).toEqual([...PERMISSIONS].sort());
    expect(res.data!.items.find((g) => g.resource === "users")!.permissions[0]).toEqual({
      name: "users:read",
      description: expect.any(String),
      defaultRole: "member",
      platform: false,
    });
  });

  test("without a token it is 401", async () => {
    expect((await t.api().permissions.get()).status).toBe(401);
  });
});

describe("GET /permissions/roles/{role}", () => {
  test("an admin reads a role: the catalog defaults until customised, and its effective permissions", async () => {
    const { token } = await signIn("admin");
    const res = await roleOf(token, "member").get();
    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      role: "member",
      customised: false,
      permissions: PERMISSIONS.filter((p) => DEFAULT_ROLE_PERMISSIONS.member.has(p)),
      effective: PERMISSIONS.filter((p) => DEFAULT_ROLE_PERMISSIONS.member.has(p)),
    });
  });

  test("a member may not read roles", async () => {
    const { token } = await signIn("member");
    expect((await roleOf(token, "member").get()).status).toBe(403);
  });

  test("an unknown role, and super_admin outside the platform tenant, are 404 ROLE_NOT_FOUND", async () => {
    const { token } = await signIn("admin");
    for (const name of ["owner", "super_admin", "constructor"]) {
      const res = await roleOf(token, name).get();
      expect(res.status).toBe(404);
      expect(problemOf(res)?.code).toBe("ROLE_NOT_FOUND");
    }
  });

  test("super_admin exists in the platform tenant", async () => {
    const { token } = await platformSignIn("super_admin");
    const res = await roleOf(token, "super_admin").get();
    expect(res.status).toBe(200);
    expect(res.data?.effective).toEqual(PERMISSIONS);
  });
});

describe("PUT /permissions/roles/{role}", () => {
  test("replaces the role's own grants, stored with an audit event of before and after", async () => {
    const { tenant, user, token } = await signIn("admin");
    const res = await roleOf(token, "member").put({ permissions: ["users:read", "flags:write"] });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      role: "member",
      customised: true,
      permissions: ["users:read", "flags:write"],
    });
    expect(res.data?.effective).toEqual(["profile:read", "profile:update", "users:read", "flags:write"]);
    expect(await storedOf(tenant.id, "member")).toEqual({
      customised: 1,
      permissions: ["flags:write", "users:read"],
    });
    const [event] = await auditOf(tenant.id);
    expect(event).toMatchObject({
      actorId: user.id,
      resourceType: "role",
      resourceId: "member",
      outcome: "success",
    });
    expect(event!.metadata).toEqual({
      before: PERMISSIONS.filter((p) => DEFAULT_ROLE_PERMISSIONS.member.has(p)),
      after: ["users:read", "flags:write"],
    });
    expect((await roleOf(token, "member").get()).data).toEqual(res.data);
  });

  test("an empty list customises the role to nothing of its own; it still inherits", async () => {
    const { tenant, token } = await signIn("admin");
    const res = await roleOf(token, "member").put({ permissions: [] });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ customised: true, permissions: [] });
    expect(res.data?.effective).toEqual(PERMISSIONS.filter((p) => DEFAULT_ROLE_PERMISSIONS.guest.has(p)));
    expect(await storedOf(tenant.id, "member")).toEqual({ customised: 1, permissions: [] });
  });

  test("unknown permissions are 422 UNKNOWN_PERMISSION naming each, and nothing changes", async () => {
    const { tenant, token } = await signIn("admin");
    const res = await roleOf(token, "member").put({
      permissions: ["users:read", "users:everything", "root"],
    });
    expect(res.status).toBe(422);
    const problem = problemOf(res);
    expect(problem?.code).toBe("UNKNOWN_PERMISSION");
    expect(problem?.detail).toContain("users:everything");
    expect(problem?.detail).toContain("root");
    expect(problem?.errors?.map((e) => e.field)).toEqual(["permissions.1", "permissions.2"]);
    expect(await storedOf(tenant.id, "member")).toEqual({ customised: 0, permissions: [] });
  });

  test("an admin cannot edit its own role: 403 ROLE_ESCALATION, audited as denied", async () => {
    const { tenant, token } = await signIn("admin");
    const res = await roleOf(token, "admin").put({ permissions: [] });
    expect(res.status).toBe(403);
    expect(problemOf(res)?.code).toBe("ROLE_ESCALATION");
    expect(await storedOf(tenant.id, "admin")).toEqual({ customised: 0, permissions: [] });
    expect((await auditOf(tenant.id)).map((e) => e.outcome)).toEqual(["denied"]);
  });

  test("no platform permission outside the platform tenant", async () => {
    const { tenant, token } = await signIn("admin");
    const res = await roleOf(token, "member").put({ permissions: ["tenants:create"] });
    expect(res.status).toBe(403);
    expect(problemOf(res)?.code).toBe("ROLE_ESCALATION");
    expect(await storedOf(tenant.id, "member")).toEqual({ customised: 0, permissions: [] });
  });

  test("inside the platform tenant a super_admin cannot edit super_admin nor hand platform permissions down", async () => {
    const { token } = await platformSignIn("super_admin");
    const self = await roleOf(token, "super_admin").put({ permissions: [] });
    expect(self.status).toBe(403);
    expect(problemOf(self)?.code).toBe("ROLE_ESCALATION");
    const down = await roleOf(token, "admin").permissions.post({ permission: "tenants:read" });
    expect(down.status).toBe(403);
    expect(problemOf(down)?.code).toBe("ROLE_ESCALATION");
  });

  test("a member may not change roles", async () => {
    const { tenant, token } = await signIn("member");
    const res = await roleOf(token, "guest").put({ permissions: ["users:read"] });
    expect(res.status).toBe(403);
    expect(await storedOf(tenant.id, "guest")).toEqual({ customised: 0, permissions: [] });
  });

  test("unknown fields are 422, malformed JSON 400, an unknown role 404", async () => {
    const { token } = await signIn("admin");
    // Raw calls: an unknown field and malformed JSON are outside the request type, which is the point.
    const extra = await t.call("PUT", role("member"), { token, body: { permissions: [], role: "admin" } });
    expect(extra.status).toBe(422);
    const malformed = await t.call("PUT", role("member"), {
      token,
      rawBody: "{",
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    const unknown = await roleOf(token, "owner").put({ permissions: [] });
    expect(unknown.status).toBe(404);
    expect(problemOf(unknown)?.code).toBe("ROLE_NOT_FOUND");
  });

  test("a change in one tenant leaves another's roles alone", async () => {
    const a = await signIn("admin");
    const b = await signIn("admin");
    await roleOf(a.token, "member").put({ permissions: [] });
    expect((await roleOf(b.token, "member").get()).data?.customised).toBe(false);
  });
});

describe("POST and DELETE /permissions/roles/{role}/permissions", () => {
  test("an admin grants a member a permission it holds, then takes it away", async () => {
    const { tenant, token } = await signIn("admin");
    const member = roleOf(token, "member");
    const add = await member.permissions.post({ permission: "users:create" });
    expect(add.status).toBe(200);
    expect(add.data?.permissions).toContain("users:create");
    expect((await storedOf(tenant.id, "member")).permissions).toContain("users:create");

    const remove = await member.permissions({ permission: "users:create" }).delete();
    expect(remove.status).toBe(200);
    expect(remove.data?.permissions).not.toContain("users:create");
    expect((await storedOf(tenant.id, "member")).permissions).not.toContain("users:create");
    expect(await auditOf(tenant.id)).toHaveLength(2);
  });

  test("the permission may be percent-encoded in the path", async () => {
    const { token } = await signIn("admin");
    // Raw: the encoding of the path is what is tested.
    const res = await t.call("DELETE", `${role("member")}/permissions/users%3Aread`, { token });
    expect(res.status).toBe(200);
    expect(res.body.permissions).not.toContain("users:read");
  });

  test("removing a permission the role gets from below leaves it effective", async () => {
    const { token } = await signIn("admin");
    const res = await roleOf(token, "member").permissions({ permission: "profile:read" }).delete();
    expect(res.data?.permissions).not.toContain("profile:read");
    expect(res.data?.effective).toContain("profile:read");
  });

  test("unknown permissions are 422 UNKNOWN_PERMISSION", async () => {
    const { token } = await signIn("admin");
    const member = roleOf(token, "member");
    const add = await member.permissions.post({ permission: "users:all" });
    expect(add.status).toBe(422);
    expect(problemOf(add)?.code).toBe("UNKNOWN_PERMISSION");
    const remove = await member.permissions({ permission: "users:all" }).delete();
    expect(remove.status).toBe(422);
    expect(problemOf(remove)?.code).toBe("UNKNOWN_PERMISSION");
  });

  test("granting what the role already has changes and audits nothing", async () => {
    const { tenant, token } = await signIn("admin");
    const res = await roleOf(token, "member").permissions.post({ permission: "users:read" });
    expect(res.status).toBe(200);
    expect(res.data?.customised).toBe(false);
    expect(await auditOf(tenant.id)).toEqual([]);
  });
});

describe("enforcement (needs the auth plugin to check effective permissions)", () => {
  test("a permission taken from a role is refused to its users at once", async () => {
    const admin = await signIn("admin");
    const member = await signIn("member", admin.tenant);
    expect((await t.api(member.token).users.me.get()).status).toBe(200);
    await roleOf(admin.token, "guest").put({ permissions: [] });
    await roleOf(admin.token, "member").put({ permissions: [] });
    expect((await t.api(member.token).users.me.get()).status).toBe(403);
  });

  test("a member granted roles:manage may edit guest, but only with permissions it holds", async () => {
    const admin = await signIn("admin");
    const member = await signIn("member", admin.tenant);
    await roleOf(admin.token, "member").permissions.post({ permission: "roles:manage" });
    const guest = roleOf(member.token, "guest");
    const ok = await guest.permissions.post({ permission: "users:read" });
    expect(ok.status).toBe(200);
    const up = await guest.permissions.post({ permission: "users:delete" });
    expect(up.status).toBe(403);
    expect(problemOf(up)?.code).toBe("ROLE_ESCALATION");
    const same = await roleOf(member.token, "member").put({ permissions: [] });
    expect(same.status).toBe(403);
    expect(problemOf(same)?.code).toBe("ROLE_ESCALATION");
  });
});
