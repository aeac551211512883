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
 * the tenant: anyone else is refused, as is a member without `permission`. For an API key, the
 * user is its creator.
 */
export async function actingRole(
  users: Pick<UserRepository, "findById">,
  { principal, tenant }: Acting,
  stored: StoredGrants,
  permission: Permission,
): Promise<ActingRole> {
  const user = principal.tenantId === tenant.id ? await users.findById(tenant.id, principal.userId) : null;
  const granted = user?.isActive ? effectiveGrants(stored, tenant.slug, user.role) : new Set<Permission>();
  // An API key acts on its creator's role but holds only what it was given of it.
  const key = principal.apiKey;
  const permissions = key ? new Set([...granted].filter((p) => key.permissions.has(p))) : granted;
  if (!user || !permissions.has(permission)) throw missingPermission(permission);
  return { role: user.role, permissions };
}
