import { describe, expect, test } from "bun:test";
import { memoryCache } from "../../src/adapters/cache/memory-cache";
import type { StoredGrants } from "../../src/core/domain/role-grants";
import { makeEffectivePermissions } from "../../src/core/usecases/roles/effective-permissions";

const tenant = (slug: string) => ({
  id: `id-${slug}`,
  slug,
  name: "T",
  plan: "free",
  status: "active" as const,
});

function setup(stored: StoredGrants) {
  let reads = 0;
  const permissions = makeEffectivePermissions({
    rolePermissions: {
      grantsOf: async () => {
        reads++;
        return stored;
      },
    },
    cache: memoryCache(),
    ttlSeconds: 300,
  });
  return { permissions, reads: () => reads };
}

describe("effectivePermissions", () => {
  test("reads a tenant's grants once, then answers every role from the cache", async () => {
    const { permissions, reads } = setup({ member: ["users:read"] });
    const acme = tenant("acme");
    expect(await permissions.effectivePermissions(acme, "member")).toEqual(
      new Set(["profile:read", "profile:update", "users:read"]),
    );
    await permissions.effectivePermissions(acme, "admin");
    await permissions.effectivePermissions(acme, "guest");
    expect(reads()).toBe(1);
  });

  test("invalidate writes the tenant's fresh grants to the cache, so the next check sees them", async () => {
    const stored: StoredGrants = {};
    const { permissions, reads } = setup(stored);
    expect((await permissions.effectivePermissions(tenant("acme"), "member")).has("audit:read")).toBe(false);
    stored.member = ["audit:read"];
    await permissions.invalidate(tenant("acme"));
    expect((await permissions.effectivePermissions(tenant("acme"), "member")).has("audit:read")).toBe(true);
    expect(reads()).toBe(2);
  });

  test("super_admin may do nothing outside the platform tenant, everything inside it", async () => {
    const { permissions } = setup({});
    expect((await permissions.effectivePermissions(tenant("acme"), "super_admin")).size).toBe(0);
    expect(
      (await permissions.effectivePermissions(tenant("platform"), "super_admin")).has("tenants:create"),
    ).toBe(true);
    expect((await permissions.effectivePermissions(tenant("platform"), "admin")).has("tenants:create")).toBe(
      false,
    );
  });
});
