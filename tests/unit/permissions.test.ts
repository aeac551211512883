import { describe, expect, test } from "bun:test";
import { memoryCache } from "../../src/adapters/cache/memory-cache";
import {
  DEFAULT_ROLE_PERMISSIONS,
  isPermission,
  PERMISSIONS,
  PLATFORM_PERMISSIONS,
} from "../../src/core/domain/permissions";
import { ROLES, roleAtLeast } from "../../src/core/domain/roles";
import { makeAuthorize } from "../../src/core/usecases/auth/authorize";
import { makeEffectivePermissions } from "../../src/core/usecases/roles/effective-permissions";

const principal = (role: (typeof ROLES)[number]) => ({ userId: "u", tenantId: "t", sessionId: "s", role });
const tenant = (slug: string) => ({
  id: `tenant-${slug}`,
  slug,
  name: "T",
  plan: "free",
  status: "active" as const,
});

describe("roles and permissions", () => {
  test("the hierarchy is guest < member < admin < super_admin", () => {
    expect(ROLES).toEqual(["guest", "member", "admin", "super_admin"]);
    expect(roleAtLeast("admin", "member")).toBe(true);
    expect(roleAtLeast("member", "admin")).toBe(false);
  });

  test("each role holds every permission of the roles below it", () => {
    for (let i = 1; i < ROLES.length; i++) {
      const lower = DEFAULT_ROLE_PERMISSIONS[ROLES[i - 1]!];
      const higher = DEFAULT_ROLE_PERMISSIONS[ROLES[i]!];
      for (const permission of lower) expect(higher.has(permission)).toBe(true);
    }
    expect(DEFAULT_ROLE_PERMISSIONS.super_admin.size).toBe(PERMISSIONS.length);
  });

  test("platform permissions belong to super_admin alone", () => {
    expect(PLATFORM_PERMISSIONS).toEqual(
      expect.arrayContaining([
        "tenants:read",
        "tenants:create",
        "tenants:status",
        "platform:users",
        "platform:audit",
      ]),
    );
    for (const role of ["guest", "member", "admin"] as const) {
      for (const permission of PLATFORM_PERMISSIONS)
        expect(DEFAULT_ROLE_PERMISSIONS[role].has(permission)).toBe(false);
    }
  });

  test("isPermission accepts catalog entries only", () => {
    expect(isPermission("users:read")).toBe(true);
    expect(isPermission("users:everything")).toBe(false);
    expect(isPermission("toString")).toBe(false);
  });
});

/** authorize over a tenant that never customised its roles: the catalog defaults apply. */
const authorize = makeAuthorize(
  makeEffectivePermissions({
    uow: {
      transaction: (_scope, work) => work({ rolePermissions: { grantsOf: async () => ({}) } } as never),
    },
    cache: memoryCache(),
    ttlSeconds: 60,
  }),
);

describe("authorize", () => {
  test("a guest may read their profile but not list users", async () => {
    expect(await authorize(principal("guest"), tenant("acme"), "profile:read")).toBe(true);
    expect(await authorize(principal("guest"), tenant("acme"), "users:read")).toBe(false);
  });

  test("platform permissions hold only inside the platform tenant, even for a super_admin role", async () => {
    expect(await authorize(principal("super_admin"), tenant("platform"), "tenants:create")).toBe(true);
    expect(await authorize(principal("super_admin"), tenant("acme"), "tenants:create")).toBe(false);
    expect(await authorize(principal("admin"), tenant("platform"), "tenants:create")).toBe(false);
  });
});
