import { describe, expect, test } from "bun:test";
import { memoryCache } from "../../src/adapters/cache/memory-cache";
import { type DataScope, tenantScope } from "../../src/core/domain/data-scope";
import type { StoredGrants } from "../../src/core/domain/role-grants";
import type { Repositories } from "../../src/core/ports/repositories";
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
  const scopes: DataScope[] = [];
  const repos = {
    rolePermissions: {
      grantsOf: async () => {
        reads++;
        return stored;
      },
    },
  } as unknown as Repositories;
  const permissions = makeEffectivePermissions({
    uow: {
      transaction: (scope, work) => {
        scopes.push(scope);
        return work(repos);
      },
    },
    cache: memoryCache(),
    ttlSeconds: 300,
  });
  return { permissions, reads: () => reads, scopes };
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

  test("a miss reads the grants in that tenant's scope, and a warm check opens no transaction", async () => {
    const { permissions, scopes } = setup({});
    await permissions.effectivePermissions(tenant("acme"), "member");
    await permissions.effectivePermissions(tenant("globex"), "member");
    await permissions.effectivePermissions(tenant("acme"), "admin");
    expect(scopes).toEqual([tenantScope("id-acme"), tenantScope("id-globex")]);
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
