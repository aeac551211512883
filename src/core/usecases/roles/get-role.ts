import type { Acting } from "../../domain/acting";
import { scopeOf } from "../../domain/data-scope";
import { roleInTenant } from "../../domain/role-grants";
import type { UnitOfWork } from "../../ports/repositories";
import { actingRole } from "./acting-role";
import { type RoleView, roleView } from "./role-view";

export interface GetRoleDeps {
  uow: Pick<UnitOfWork, "transaction">;
}

/** A role's grants in the tenant acted on; needs roles:read there. */
export function makeGetRole({ uow }: GetRoleDeps) {
  return async function getRole(acting: Acting, name: string): Promise<RoleView> {
    const { tenant } = acting;
    // One read of the tenant acted on: its grants and the principal's stored role in it.
    return uow.transaction(scopeOf(acting), async (repos) => {
      const stored = await repos.rolePermissions.grantsOf(tenant.id);
      await actingRole(repos.users, acting, stored, "roles:read");
      return roleView(stored, tenant.slug, roleInTenant(name, tenant.slug));
    });
  };
}

export type GetRole = ReturnType<typeof makeGetRole>;
