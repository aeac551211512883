import type { Acting } from "../../domain/acting";
import { roleInTenant } from "../../domain/role-grants";
import type { RolePermissionRepository, UserRepository } from "../../ports/repositories";
import { actingRole } from "./acting-role";
import { type RoleView, roleView } from "./role-view";

export interface GetRoleDeps {
  users: Pick<UserRepository, "findById">;
  rolePermissions: Pick<RolePermissionRepository, "grantsOf">;
}

/** A role's grants in the tenant acted on; needs roles:read there. */
export function makeGetRole({ users, rolePermissions }: GetRoleDeps) {
  return async function getRole(acting: Acting, name: string): Promise<RoleView> {
    const { tenant } = acting;
    const stored = await rolePermissions.grantsOf(tenant.id);
    await actingRole(users, acting, stored, "roles:read");
    return roleView(stored, tenant.slug, roleInTenant(name, tenant.slug));
  };
}

export type GetRole = ReturnType<typeof makeGetRole>;
