import type { TenantRef } from "../../domain/acting";
import { cacheKeys } from "../../domain/cache-keys";
import { NotFoundError, TenantInactiveError } from "../../domain/errors";
import type { Tenant } from "../../domain/tenant";
import type { Cache } from "../../ports/cache";
import type { TenantRepository } from "../../ports/repositories";

export interface ResolveTenantDeps {
  tenants: TenantRepository;
  cache: Cache;
  ttlSeconds: number;
}

export function toRef(tenant: Tenant): TenantRef {
  return { id: tenant.id, slug: tenant.slug, name: tenant.name, plan: tenant.plan, status: tenant.status };
}

function requireActive(tenant: TenantRef | null): TenantRef {
  if (!tenant) throw new NotFoundError("TENANT_NOT_FOUND", "No tenant matches the request.");
  if (tenant.status !== "active") throw new TenantInactiveError(tenant.status);
  return tenant;
}

/**
 * Writes a tenant's state to the cache under both keys after a change commits. Writing (not
 * deleting) keeps a request that read the old state just before the commit from putting it back,
 * since cache fills only add. Callers pass the tenant as re-read after their commit, so of two
 * concurrent changes the later publication carries both. With Redis every instance sees it on its
 * next request.
 */
export async function publishTenant(cache: Cache, tenant: Tenant, ttlSeconds: number) {
  const ref = toRef(tenant);
  for (const key of [cacheKeys.tenantBySlug(ref.slug), cacheKeys.tenantById(ref.id)]) {
    // A failed write must not leave the old state behind: without the key, the database decides.
    if (!(await cache.set(key, ref, ttlSeconds))) await cache.delete(key);
  }
}

/** Finds tenants through the cache (cache-aside) and refuses unknown and inactive ones. */
export function makeTenantResolver({ tenants, cache, ttlSeconds }: ResolveTenantDeps) {
  async function load(key: string, find: () => Promise<Tenant | null>): Promise<TenantRef | null> {
    const cached = await cache.get<TenantRef>(key);
    if (cached) return cached;
    const tenant = await find();
    if (!tenant) return null;
    const ref = toRef(tenant);
    await cache.add(cacheKeys.tenantBySlug(ref.slug), ref, ttlSeconds);
    await cache.add(cacheKeys.tenantById(ref.id), ref, ttlSeconds);
    return ref;
  }

  return {
    async activeBySlug(slug: string): Promise<TenantRef> {
      return requireActive(await load(cacheKeys.tenantBySlug(slug), () => tenants.findBySlug(slug)));
    },
    async activeById(id: string): Promise<TenantRef> {
      return requireActive(await load(cacheKeys.tenantById(id), () => tenants.findById(id)));
    },
  };
}

export type TenantResolver = ReturnType<typeof makeTenantResolver>;
