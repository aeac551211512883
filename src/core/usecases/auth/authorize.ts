import { DEFAULT_ROLE_PERMISSIONS, type Permission, PLATFORM_PERMISSIONS } from "../../domain/permissions";
import { PLATFORM_TENANT_SLUG } from "../../domain/tenant";
import type { TenantRef } from "../tenants/resolve-tenant";
import type { Principal } from "./authenticate";

/**
 * Whether the principal holds `permission` in `tenant`. Platform permissions exist only in the
 * platform tenant, whatever a role's grants say.
 */
export function authorize(principal: Principal, tenant: TenantRef, permission: Permission): boolean {
  if (PLATFORM_PERMISSIONS.includes(permission) && tenant.slug !== PLATFORM_TENANT_SLUG) return false;
  return DEFAULT_ROLE_PERMISSIONS[principal.role].has(permission);
}
