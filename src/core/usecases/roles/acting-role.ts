import type { Principal, TenantRef } from "../../domain/acting";
import { ForbiddenError } from "../../domain/errors";
import type { Permission } from "../../domain/permissions";
import { effectiveGrants, type StoredGrants } from "../../domain/role-grants";
import type { Role } from "../../domain/roles";
import type { UserRepository } from "../../ports/repositories";

export interface ActingRole {
  role: Role;
  permissions: ReadonlySet<Permission>;
}

/**
 * The actor's role and effective permissions in the tenant, from the stored user and grants rather
 * than the token, so a demotion counts at once. Refuses the actor unless it holds `permission`.
 */
export async function actingRole(
  users: Pick<UserRepository, "findById">,
  actor: Principal,
  tenant: TenantRef,
  stored: StoredGrants,
  permission: Permission,
): Promise<ActingRole> {
  const user = actor.tenantId === tenant.id ? await users.findById(tenant.id, actor.userId) : null;
  const permissions = user?.isActive
    ? effectiveGrants(stored, tenant.slug, user.role)
    : new Set<Permission>();
  if (!user || !permissions.has(permission)) {
    throw new ForbiddenError("FORBIDDEN", `This action needs the ${permission} permission.`);
  }
  return { role: user.role, permissions };
}
