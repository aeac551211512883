import type { TenantRef } from "../../domain/acting";
import { cacheKeys } from "../../domain/cache-keys";
import { inCatalogOrder, type Permission } from "../../domain/permissions";
import { effectiveGrants, tenantRoles } from "../../domain/role-grants";
import type { Role } from "../../domain/roles";
import type { Cache } from "../../ports/cache";
import type { RolePermissionRepository } from "../../ports/repositories";

export interface EffectivePermissionsDeps {
  rolePermissions: Pick<RolePermissionRepository, "grantsOf">;
  cache: Cache;
  ttlSeconds: number;
}

type EffectiveTable = Partial<Record<Role, Permission[]>>;

/**
 * What each role may do in a tenant, for permission checks: one cache entry per tenant
 * (cache-aside), rewritten by `invalidate` after every change of the tenant's grants.
 */
export function makeEffectivePermissions({ rolePermissions, cache, ttlSeconds }: EffectivePermissionsDeps) {
  async function compute(tenant: TenantRef): Promise<EffectiveTable> {
    const stored = await rolePermissions.grantsOf(tenant.id);
    return Object.fromEntries(
      tenantRoles(tenant.slug).map((role) => [
        role,
        inCatalogOrder(effectiveGrants(stored, tenant.slug, role)),
      ]),
    );
  }

  async function table(tenant: TenantRef): Promise<EffectiveTable> {
    const key = cacheKeys.rolePermissions(tenant.id);
    const cached = await cache.get<EffectiveTable>(key);
    if (cached) return cached;
    const fresh = await compute(tenant);
    await cache.add(key, fresh, ttlSeconds);
    return fresh;
  }

  // A cached table is read on every request; its sets are built once per table read from the cache.
  const sets = new WeakMap<readonly Permission[], ReadonlySet<Permission>>();
  const NONE: ReadonlySet<Permission> = new Set();

  return {
    async effectivePermissions(tenant: TenantRef, role: Role): Promise<ReadonlySet<Permission>> {
      const granted = (await table(tenant))[role];
      if (!granted) return NONE;
      let set = sets.get(granted);
      if (!set) {
        set = new Set(granted);
        sets.set(granted, set);
      }
      return set;
    },
    /**
     * After a change commits: writes the fresh table rather than deleting the entry, so a request
     * that read the old grants just before the commit cannot put them back (fills only add). If the
     * write fails the entry is deleted, and the database decides.
     */
    async invalidate(tenant: TenantRef): Promise<void> {
      const key = cacheKeys.rolePermissions(tenant.id);
      if (!(await cache.set(key, await compute(tenant), ttlSeconds))) await cache.delete(key);
    },
  };
}

export type EffectivePermissions = ReturnType<typeof makeEffectivePermissions>;
