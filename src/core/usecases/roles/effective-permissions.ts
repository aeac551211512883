import type { TenantRef } from "../../domain/acting";
import { cacheKeys } from "../../domain/cache-keys";
import { tenantScope } from "../../domain/data-scope";
import { inCatalogOrder, type Permission } from "../../domain/permissions";
import { effectiveGrants, tenantRoles } from "../../domain/role-grants";
import type { Role } from "../../domain/roles";
import type { Cache } from "../../ports/cache";
import type { UnitOfWork } from "../../ports/repositories";
import { makeCacheAside } from "../cache/cache-aside";

export interface EffectivePermissionsDeps {
  uow: Pick<UnitOfWork, "transaction">;
  cache: Cache;
  ttlSeconds: number;
}

type EffectiveTable = Partial<Record<Role, Permission[]>>;

/**
 * What each role may do in a tenant, for permission checks: one cache entry per tenant, published
 * by `invalidate` after every change of the tenant's grants. Only a miss (and a publication) reads
 * the database, in that tenant's scope. Called outside transactions: a permission check may need a
 * connection of its own.
 */
export function makeEffectivePermissions({ uow, cache, ttlSeconds }: EffectivePermissionsDeps) {
  const entries = makeCacheAside({ cache, ttlSeconds });

  async function compute(tenant: TenantRef): Promise<EffectiveTable> {
    const stored = await uow.transaction(tenantScope(tenant.id), (repos) =>
      repos.rolePermissions.grantsOf(tenant.id),
    );
    return Object.fromEntries(
      tenantRoles(tenant.slug).map((role) => [
        role,
        inCatalogOrder(effectiveGrants(stored, tenant.slug, role)),
      ]),
    );
  }

  function table(tenant: TenantRef): Promise<EffectiveTable> {
    return entries.read(cacheKeys.rolePermissions(tenant.id), () => compute(tenant));
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
    /** Publishes the tenant's table as stored now; call after a change of its grants commits. */
    async invalidate(tenant: TenantRef): Promise<void> {
      await entries.publish(cacheKeys.rolePermissions(tenant.id), await compute(tenant));
    },
  };
}

export type EffectivePermissions = ReturnType<typeof makeEffectivePermissions>;
