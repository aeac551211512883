import type { Acting } from "../../domain/acting";
import type { Permission } from "../../domain/permissions";
import { effectiveGrants, type StoredGrants } from "../../domain/role-grants";
import type { Role } from "../../domain/roles";
import type { UserRepository } from "../../ports/repositories";
import { missingPermission } from "../auth/require-permission";

export interface ActingRole {
  role: Role;
  permissions: ReadonlySet<Permission>;
}

/**
 * The principal's role and effective permissions in the tenant acted on, from the stored user and
 * grants rather than the token, so a demotion counts at once. Roles are edited only by members of
 * the tenant: anyone else is refused, as is a member without `permission`.
 */
export async function actingRole(
  users: Pick<UserRepository, "findById">,
  { principal, tenant }: Acting,
  stored: StoredGrants,
  permission: Permission,
): Promise<ActingRole> {
  const user = principal.tenantId === tenant.id ? await users.findById(tenant.id, principal.userId) : null;
  const permissions = user?.isActive
    ? effectiveGrants(stored, tenant.slug, user.role)
    : new Set<Permission>();
  if (!user || !permissions.has(permission)) throw missingPermission(permission);
  return { role: user.role, permissions };
}
