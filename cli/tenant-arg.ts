import type { TenantRef } from "../src/core/domain/acting";
import { NotFoundError } from "../src/core/domain/errors";
import { isUuid } from "../src/core/domain/uuid";
import type { TenantResolver } from "../src/core/usecases/tenants/resolve-tenant";

/**
 * The active tenant a `--tenant` option names, by slug or id, resolved as the API resolves the
 * tenant a request names (through the cache; unknown is TENANT_NOT_FOUND, inactive TENANT_INACTIVE).
 */
export async function activeTenant(resolver: TenantResolver, idOrSlug: string): Promise<TenantRef> {
  if (!isUuid(idOrSlug)) return resolver.activeBySlug(idOrSlug);
  return resolver.activeById(idOrSlug).catch((error: unknown) => {
    if (error instanceof NotFoundError) return resolver.activeBySlug(idOrSlug);
    throw error;
  });
}
