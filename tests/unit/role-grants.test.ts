import { describe, expect, test } from "bun:test";
import { ForbiddenError, NotFoundError, ValidationError } from "../../src/core/domain/errors";
import {
  DEFAULT_ROLE_PERMISSIONS,
  PERMISSIONS,
  type Permission,
  PLATFORM_PERMISSIONS,
  permissionCatalog,
} from "../../src/core/domain/permissions";
import {
  effectiveGrants,
  escalation,
  ownGrants,
  parsePermission,
  parsePermissions,
  roleInTenant,
  type StoredGrants,
  tenantRoles,
} from "../../src/core/domain/role-grants";

const sorted = (set: ReadonlySet<Permission>) => [...set].sort();

describe("permission catalog", () => {
  test("groups every permission once under the resource before its colon, with a description", () => {
    const groups = permissionCatalog();
    const listed = groups.flatMap((g) => g.permissions.map((p) => p.name));
    expect(listed.sort()).toEqual([...PERMISSIONS].sort());
    for (const group of groups) {
      for (const p of group.permissions) {
        expect(p.name.split(":")[0]).toBe(group.resource);
        expect(p.description.length).toBeGreaterThan(0);
        expect(p.platform).toBe(PLATFORM_PERMISSIONS.includes(p.name));
        expect(DEFAULT_ROLE_PERMISSIONS[p.defaultRole].has(p.name)).toBe(true);
      }
    }
    expect(new Set(groups.map((g) => g.resource)).size).toBe(groups.length);
  });
});

describe("own and effective grants", () => {
  test("a role never customised holds the catalog defaults", () => {
    expect(ownGrants({}, "member")).toBe(DEFAULT_ROLE_PERMISSIONS.member);
    expect(sorted(effectiveGrants({}, "acme", "admin"))).toEqual(sorted(DEFAULT_ROLE_PERMISSIONS.admin));
  });

  test("a customised role holds exactly what is stored, even nothing", () => {
    const stored: StoredGrants = { member: [] };
    expect(sorted(ownGrants(stored, "member"))).toEqual([]);
    expect(sorted(effectiveGrants(stored, "acme", "member"))).toEqual(sorted(DEFAULT_ROLE_PERMISSIONS.guest));
  });

  test("inheritance holds after customisation: a grant to guest reaches member and admin", () => {
    const stored: StoredGrants = { guest: ["users:read"], member: ["flags:read"] };
    expect(effectiveGrants(stored, "acme", "guest")).toEqual(new Set(["users:read"]));
    expect(effectiveGrants(stored, "acme", "member")).toEqual(new Set(["users:read", "flags:read"]));
    const admin = effectiveGrants(stored, "acme", "admin");
    expect(admin.has("users:read")).toBe(true);
    expect(admin.has("profile:read")).toBe(true); // admin's own defaults include it
  });

  test("a permission removed from a role is still effective while a role below holds it", () => {
    const stored: StoredGrants = { member: ["flags:read"] };
    expect(effectiveGrants(stored, "acme", "member").has("profile:read")).toBe(true);
    expect(effectiveGrants(stored, "acme", "member").has("users:read")).toBe(false);
  });

  test("platform permissions count only for super_admin of the platform tenant, whatever is stored", () => {
    const stored: StoredGrants = {
      guest: ["platform:users"],
      member: [],
      admin: ["tenants:create", "users:read"],
    };
    expect(effectiveGrants(stored, "platform", "admin")).toEqual(new Set(["users:read"]));
    expect(effectiveGrants(stored, "acme", "admin")).toEqual(new Set(["users:read"]));
    const superAdmin = effectiveGrants({}, "platform", "super_admin");
    for (const p of PLATFORM_PERMISSIONS) expect(superAdmin.has(p)).toBe(true);
  });

  test("super_admin exists only in the platform tenant: elsewhere it may do nothing", () => {
    expect(tenantRoles("acme")).toEqual(["guest", "member", "admin"]);
    expect(tenantRoles("platform")).toEqual(["guest", "member", "admin", "super_admin"]);
    expect(effectiveGrants({}, "acme", "super_admin").size).toBe(0);
  });
});

describe("roleInTenant", () => {
  test("an unknown role, and super_admin outside the platform tenant, are 404 ROLE_NOT_FOUND", () => {
    for (const [name, slug] of [
      ["owner", "acme"],
      ["super_admin", "acme"],
      ["toString", "acme"],
      ["Admin", "platform"],
    ] as const) {
      expect(() => roleInTenant(name, slug)).toThrow(NotFoundError);
      expect(() => roleInTenant(name, slug)).toThrow(expect.objectContaining({ code: "ROLE_NOT_FOUND" }));
    }
    expect(roleInTenant("super_admin", "platform")).toBe("super_admin");
    expect(roleInTenant("guest", "acme")).toBe("guest");
  });
});

describe("parsePermissions", () => {
  test("returns catalog permissions in catalog order without duplicates", () => {
    expect(parsePermissions(["users:read", "profile:read", "users:read"], "permissions")).toEqual([
      "profile:read",
      "users:read",
    ]);
  });

  test("unknown names are 422 UNKNOWN_PERMISSION naming each of them, never dropped", () => {
    let error: unknown;
    try {
      parsePermissions(["users:read", "users:everything", "constructor"], "permissions");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const v = error as ValidationError;
    expect(v.code).toBe("UNKNOWN_PERMISSION");
    expect(v.message).toContain('"users:everything"');
    expect(v.message).toContain('"constructor"');
    expect(v.errors.map((e) => e.field)).toEqual(["permissions.1", "permissions.2"]);
    expect(() => parsePermission("nope", "permission")).toThrow(
      expect.objectContaining({
        code: "UNKNOWN_PERMISSION",
        errors: [expect.objectContaining({ field: "permission" })],
      }),
    );
  });
});

describe("escalation", () => {
  const admin = { actorRole: "admin" as const, actorPermissions: DEFAULT_ROLE_PERMISSIONS.admin };
  const refused = (change: Parameters<typeof escalation>[0]) => {
    const refusal = escalation(change);
    if (refusal) expect(refusal).toBeInstanceOf(ForbiddenError);
    return refusal?.code ?? null;
  };

  test("an admin may grant a member what the admin holds", () => {
    expect(refused({ ...admin, target: "member", added: ["users:create", "roles:manage"] })).toBeNull();
  });

  test("nobody edits a role at or above their own", () => {
    expect(refused({ ...admin, target: "admin", added: [] })).toBe("ROLE_ESCALATION");
    expect(refused({ ...admin, target: "super_admin", added: [] })).toBe("ROLE_ESCALATION");
    const superAdmin = {
      actorRole: "super_admin" as const,
      actorPermissions: DEFAULT_ROLE_PERMISSIONS.super_admin,
    };
    expect(refused({ ...superAdmin, target: "super_admin", added: [] })).toBe("ROLE_ESCALATION");
  });

  test("nobody grants a permission they do not hold", () => {
    const weakAdmin = {
      actorRole: "admin" as const,
      actorPermissions: new Set<Permission>(["roles:manage"]),
    };
    expect(refused({ ...weakAdmin, target: "guest", added: ["users:delete"] })).toBe("ROLE_ESCALATION");
  });

  test("platform permissions are never granted to a role below super_admin, even by one", () => {
    const superAdmin = {
      actorRole: "super_admin" as const,
      actorPermissions: DEFAULT_ROLE_PERMISSIONS.super_admin,
    };
    expect(refused({ ...superAdmin, target: "admin", added: ["tenants:create"] })).toBe("ROLE_ESCALATION");
    expect(refused({ ...superAdmin, target: "admin", added: ["users:delete"] })).toBeNull();
  });

  test("removing permissions is no escalation", () => {
    expect(refused({ ...admin, target: "member", added: [] })).toBeNull();
  });
});
