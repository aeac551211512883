import type { TenantRef } from "../../domain/acting";
import { cacheKeys } from "../../domain/cache-keys";
import { NotFoundError, TenantInactiveError } from "../../domain/errors";
import type { Tenant } from "../../domain/tenant";
import type { Cache } from "../../ports/cache";
import type { TenantRepository } from "../../ports/repositories";
import { makeCacheAside } from "../cache/cache-aside";

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

const keysOf = (ref: TenantRef) => [cacheKeys.tenantBySlug(ref.slug), cacheKeys.tenantById(ref.id)];
const underBothKeys = { keysOf };

/**
 * Publishes a tenant's state under both keys after a change commits. Callers pass the tenant as
 * re-read after their commit, so of two concurrent changes the later publication carries both. With
 * Redis every instance sees it on its next request.
 */
export async function publishTenant(cache: Cache, tenant: Tenant, ttlSeconds: number) {
  const ref = toRef(tenant);
  await makeCacheAside({ cache, ttlSeconds }).publish(keysOf(ref), ref);
}

/** Finds tenants through the cache and refuses unknown and inactive ones. */
export function makeTenantResolver({ tenants, cache, ttlSeconds }: ResolveTenantDeps) {
  const entries = makeCacheAside({ cache, ttlSeconds });

  function load(key: string, find: () => Promise<Tenant | null>): Promise<TenantRef | null> {
    const loadRef = async () => {
      const tenant = await find();
      return tenant && toRef(tenant);
    };
    return entries.read(key, loadRef, underBothKeys);
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
