import { inCatalogOrder, type Permission } from "../../domain/permissions";
import { effectiveGrants, isCustomised, ownGrants, type StoredGrants } from "../../domain/role-grants";
import type { Role } from "../../domain/roles";

export interface RoleView {
  role: Role;
  /** False while the role holds the catalog defaults. */
  customised: boolean;
  /** The role's own grants, what a replace sets. */
  permissions: Permission[];
  /** Its own grants and those of the roles below it, as permission checks see them. */
  effective: Permission[];
}

export function roleView(stored: StoredGrants, tenantSlug: string, role: Role): RoleView {
  return {
    role,
    customised: isCustomised(stored, role),
    permissions: inCatalogOrder(ownGrants(stored, role)),
    effective: inCatalogOrder(effectiveGrants(stored, tenantSlug, role)),
  };
}
