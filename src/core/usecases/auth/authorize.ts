import type { Principal, TenantRef } from "../../domain/acting";
import type { Permission } from "../../domain/permissions";
import type { EffectivePermissions } from "../roles/effective-permissions";

/**
 * Whether the principal holds `permission` in `tenant`: the tenant's effective grants of the
 * principal's role (its own customisation or the catalog defaults, inheritance applied; platform
 * permissions only for super_admin in the platform tenant), read through the cache. An API key
 * holds a permission only when it was given it and its creator's current role still grants it:
 * a key is narrowed, at every use, to what its creator may do now.
 */
export function makeAuthorize(permissions: Pick<EffectivePermissions, "effectivePermissions">) {
  return async function authorize(
    principal: Principal,
    tenant: TenantRef,
    permission: Permission,
  ): Promise<boolean> {
    if (principal.apiKey && !principal.apiKey.permissions.has(permission)) return false;
    return (await permissions.effectivePermissions(tenant, principal.role)).has(permission);
  };
}

export type Authorize = ReturnType<typeof makeAuthorize>;
