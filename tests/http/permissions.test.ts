import { beforeAll, describe, expect, test } from "bun:test";
import { and, asc, eq } from "drizzle-orm";
import { auditEvents, roleCustomisations, rolePermissions, tenants } from "../../src/adapters/db/schema";
import { DEFAULT_ROLE_PERMISSIONS, PERMISSIONS } from "../../src/core/domain/permissions";
import type { Role } from "../../src/core/domain/roles";
import { TEST_PASSWORD, type TestApp, testApp } from "../support/app";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});

const BASE = "/api/v1/permissions";
const role = (name: string) => `${BASE}/roles/${name}`;

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
    const res = await t.call("GET", BASE, { token });
    expect(res.status).toBe(200);
    const names = res.body.items.flatMap((g: { permissions: { name: string }[] }) =>
      g.permissions.map((p) => p.name),
    );
    expect(names.sort()).toEqual([...PERMISSIONS].sort());
    expect(res.body.items.find((g: { resource: string }) => g.resource === "users").permissions[0]).toEqual({
      name: "users:read",
      description: expect.any(String),
      defaultRole: "member",
      platform: false,
    });
  });

  test("without a token it is 401", async () => {
    expect((await t.call("GET", BASE)).status).toBe(401);
  });
});

describe("GET /permissions/roles/{role}", () => {
  test("an admin reads a role: the catalog defaults until customised, and its effective permissions", async () => {
    const { token } = await signIn("admin");
    const res = await t.call("GET", role("member"), { token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      role: "member",
      customised: false,
      permissions: PERMISSIONS.filter((p) => DEFAULT_ROLE_PERMISSIONS.member.has(p)),
      effective: PERMISSIONS.filter((p) => DEFAULT_ROLE_PERMISSIONS.member.has(p)),
    });
  });

  test("a member may not read roles", async () => {
    const { token } = await signIn("member");
    expect((await t.call("GET", role("member"), { token })).status).toBe(403);
  });

  test("an unknown role, and super_admin outside the platform tenant, are 404 ROLE_NOT_FOUND", async () => {
    const { token } = await signIn("admin");
    for (const name of ["owner", "super_admin", "constructor"]) {
      const res = await t.call("GET", role(name), { token });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe("ROLE_NOT_FOUND");
    }
  });

  test("super_admin exists in the platform tenant", async () => {
    const { token } = await platformSignIn("super_admin");
    const res = await t.call("GET", role("super_admin"), { token });
    expect(res.status).toBe(200);
    expect(res.body.effective).toEqual(PERMISSIONS);
  });
});

describe("PUT /permissions/roles/{role}", () => {
  test("replaces the role's own grants, stored with an audit event of before and after", async () => {
    const { tenant, user, token } = await signIn("admin");
    const res = await t.call("PUT", role("member"), {
      token,
      body: { permissions: ["users:read", "flags:write"] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      role: "member",
      customised: true,
      permissions: ["users:read", "flags:write"],
    });
    expect(res.body.effective).toEqual(["profile:read", "profile:update", "users:read", "flags:write"]);
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
    expect((await t.call("GET", role("member"), { token })).body).toEqual(res.body);
  });

  test("an empty list customises the role to nothing of its own; it still inherits", async () => {
    const { tenant, token } = await signIn("admin");
    const res = await t.call("PUT", role("member"), { token, body: { permissions: [] } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ customised: true, permissions: [] });
    expect(res.body.effective).toEqual(PERMISSIONS.filter((p) => DEFAULT_ROLE_PERMISSIONS.guest.has(p)));
    expect(await storedOf(tenant.id, "member")).toEqual({ customised: 1, permissions: [] });
  });

  test("unknown permissions are 422 UNKNOWN_PERMISSION naming each, and nothing changes", async () => {
    const { tenant, token } = await signIn("admin");
    const res = await t.call("PUT", role("member"), {
      token,
      body: { permissions: ["users:read", "users:everything", "root"] },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe("UNKNOWN_PERMISSION");
    expect(res.body.detail).toContain("users:everything");
    expect(res.body.detail).toContain("root");
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      "permissions.1",
      "permissions.2",
    ]);
    expect(await storedOf(tenant.id, "member")).toEqual({ customised: 0, permissions: [] });
  });

  test("an admin cannot edit its own role: 403 ROLE_ESCALATION, audited as denied", async () => {
    const { tenant, token } = await signIn("admin");
    const res = await t.call("PUT", role("admin"), { token, body: { permissions: [] } });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("ROLE_ESCALATION");
    expect(await storedOf(tenant.id, "admin")).toEqual({ customised: 0, permissions: [] });
    expect((await auditOf(tenant.id)).map((e) => e.outcome)).toEqual(["denied"]);
  });

  test("no platform permission outside the platform tenant", async () => {
    const { tenant, token } = await signIn("admin");
    const res = await t.call("PUT", role("member"), { token, body: { permissions: ["tenants:create"] } });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("ROLE_ESCALATION");
    expect(await storedOf(tenant.id, "member")).toEqual({ customised: 0, permissions: [] });
  });

  test("inside the platform tenant a super_admin cannot edit super_admin nor hand platform permissions down", async () => {
    const { token } = await platformSignIn("super_admin");
    const self = await t.call("PUT", role("super_admin"), { token, body: { permissions: [] } });
    expect(self.status).toBe(403);
    expect(self.body.code).toBe("ROLE_ESCALATION");
    const down = await t.call("POST", `${role("admin")}/permissions`, {
      token,
      body: { permission: "tenants:read" },
    });
    expect(down.status).toBe(403);
    expect(down.body.code).toBe("ROLE_ESCALATION");
  });

  test("a member may not change roles", async () => {
    const { tenant, token } = await signIn("member");
    const res = await t.call("PUT", role("guest"), { token, body: { permissions: ["users:read"] } });
    expect(res.status).toBe(403);
    expect(await storedOf(tenant.id, "guest")).toEqual({ customised: 0, permissions: [] });
  });

  test("unknown fields are 422, malformed JSON 400, an unknown role 404", async () => {
    const { token } = await signIn("admin");
    const extra = await t.call("PUT", role("member"), { token, body: { permissions: [], role: "admin" } });
    expect(extra.status).toBe(422);
    const malformed = await t.call("PUT", role("member"), {
      token,
      rawBody: "{",
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    const unknown = await t.call("PUT", role("owner"), { token, body: { permissions: [] } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe("ROLE_NOT_FOUND");
  });

  test("a change in one tenant leaves another's roles alone", async () => {
    const a = await signIn("admin");
    const b = await signIn("admin");
    await t.call("PUT", role("member"), { token: a.token, body: { permissions: [] } });
    expect((await t.call("GET", role("member"), { token: b.token })).body.customised).toBe(false);
  });
});

describe("POST and DELETE /permissions/roles/{role}/permissions", () => {
  test("an admin grants a member a permission it holds, then takes it away", async () => {
    const { tenant, token } = await signIn("admin");
    const add = await t.call("POST", `${role("member")}/permissions`, {
      token,
      body: { permission: "users:create" },
    });
    expect(add.status).toBe(200);
    expect(add.body.permissions).toContain("users:create");
    expect((await storedOf(tenant.id, "member")).permissions).toContain("users:create");

    const remove = await t.call("DELETE", `${role("member")}/permissions/users:create`, { token });
    expect(remove.status).toBe(200);
    expect(remove.body.permissions).not.toContain("users:create");
    expect((await storedOf(tenant.id, "member")).permissions).not.toContain("users:create");
    expect(await auditOf(tenant.id)).toHaveLength(2);
  });

  test("the permission may be percent-encoded in the path", async () => {
    const { token } = await signIn("admin");
    const res = await t.call("DELETE", `${role("member")}/permissions/users%3Aread`, { token });
    expect(res.status).toBe(200);
    expect(res.body.permissions).not.toContain("users:read");
  });

  test("removing a permission the role gets from below leaves it effective", async () => {
    const { token } = await signIn("admin");
    const res = await t.call("DELETE", `${role("member")}/permissions/profile:read`, { token });
    expect(res.body.permissions).not.toContain("profile:read");
    expect(res.body.effective).toContain("profile:read");
  });

  test("unknown permissions are 422 UNKNOWN_PERMISSION", async () => {
    const { token } = await signIn("admin");
    const add = await t.call("POST", `${role("member")}/permissions`, {
      token,
      body: { permission: "users:all" },
    });
    expect(add.status).toBe(422);
    expect(add.body.code).toBe("UNKNOWN_PERMISSION");
    const remove = await t.call("DELETE", `${role("member")}/permissions/users:all`, { token });
    expect(remove.status).toBe(422);
    expect(remove.body.code).toBe("UNKNOWN_PERMISSION");
  });

  test("granting what the role already has changes and audits nothing", async () => {
    const { tenant, token } = await signIn("admin");
    const res = await t.call("POST", `${role("member")}/permissions`, {
      token,
      body: { permission: "users:read" },
    });
    expect(res.status).toBe(200);
    expect(res.body.customised).toBe(false);
    expect(await auditOf(tenant.id)).toEqual([]);
  });
});

describe("enforcement (needs the auth plugin to check effective permissions)", () => {
  test("a permission taken from a role is refused to its users at once", async () => {
    const admin = await signIn("admin");
    const member = await signIn("member", admin.tenant);
    expect((await t.call("GET", "/api/v1/users/me", { token: member.token })).status).toBe(200);
    await t.call("PUT", role("guest"), { token: admin.token, body: { permissions: [] } });
    await t.call("PUT", role("member"), { token: admin.token, body: { permissions: [] } });
    expect((await t.call("GET", "/api/v1/users/me", { token: member.token })).status).toBe(403);
  });

  test("a member granted roles:manage may edit guest, but only with permissions it holds", async () => {
    const admin = await signIn("admin");
    const member = await signIn("member", admin.tenant);
    await t.call("POST", `${role("member")}/permissions`, {
      token: admin.token,
      body: { permission: "roles:manage" },
    });
    const ok = await t.call("POST", `${role("guest")}/permissions`, {
      token: member.token,
      body: { permission: "users:read" },
    });
    expect(ok.status).toBe(200);
    const up = await t.call("POST", `${role("guest")}/permissions`, {
      token: member.token,
      body: { permission: "users:delete" },
    });
    expect(up.status).toBe(403);
    expect(up.body.code).toBe("ROLE_ESCALATION");
    const same = await t.call("PUT", role("member"), { token: member.token, body: { permissions: [] } });
    expect(same.status).toBe(403);
    expect(same.body.code).toBe("ROLE_ESCALATION");
  });
});
