import type { TenantRef } from "../../domain/acting";
import { cacheKeys } from "../../domain/cache-keys";
import { anonymousScope } from "../../domain/data-scope";
import { NotFoundError, TenantInactiveError } from "../../domain/errors";
import type { Tenant } from "../../domain/tenant";
import type { Cache } from "../../ports/cache";
import type { TenantRepository, UnitOfWork } from "../../ports/repositories";
import { makeCacheAside } from "../cache/cache-aside";

export interface ResolveTenantDeps {
  uow: Pick<UnitOfWork, "transaction">;
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

/**
 * Finds tenants through the cache and refuses unknown and inactive ones. A miss reads the tenant
 * directory in the anonymous scope: no tenant is known yet (this is how a request finds its tenant),
 * and the directory is all that scope sees. A warm request makes no database round trip.
 */
export function makeTenantResolver({ uow, cache, ttlSeconds }: ResolveTenantDeps) {
  const entries = makeCacheAside({ cache, ttlSeconds });

  function load(
    key: string,
    find: (tenants: TenantRepository) => Promise<Tenant | null>,
  ): Promise<TenantRef | null> {
    const loadRef = async () => {
      const tenant = await uow.transaction(anonymousScope, (repos) => find(repos.tenants));
      return tenant && toRef(tenant);
    };
    return entries.read(key, loadRef, underBothKeys);
  }

  return {
    async activeBySlug(slug: string): Promise<TenantRef> {
      return requireActive(await load(cacheKeys.tenantBySlug(slug), (tenants) => tenants.findBySlug(slug)));
    },
    async activeById(id: string): Promise<TenantRef> {
      return requireActive(await load(cacheKeys.tenantById(id), (tenants) => tenants.findById(id)));
    },
  };
}

export type TenantResolver = ReturnType<typeof makeTenantResolver>;
