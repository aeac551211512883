import { ForbiddenError, NotFoundError, ValidationError } from "./errors";
import {
  DEFAULT_ROLE_PERMISSIONS,
  inCatalogOrder,
  isPermission,
  isPlatformPermission,
  type Permission,
} from "./permissions";
import { isRole, ROLES, type Role, roleAbove, roleAtLeast } from "./roles";
import { PLATFORM_TENANT_SLUG } from "./tenant";

/**
 * The stored grants of a tenant's customised roles. A role absent from it has never been customised
 * and holds the catalog defaults; a role present holds exactly what is stored, possibly nothing.
 */
export type StoredGrants = Partial<Record<Role, readonly Permission[]>>;

/** The roles a tenant has: `super_admin` exists only in the platform tenant. */
export function tenantRoles(tenantSlug: string): readonly Role[] {
  return tenantSlug === PLATFORM_TENANT_SLUG ? ROLES : ROLES.filter((r) => r !== "super_admin");
}

export function isCustomised(stored: StoredGrants, role: Role): boolean {
  return stored[role] !== undefined;
}

/** What the role itself is granted in the tenant, before inheritance. */
export function ownGrants(stored: StoredGrants, role: Role): ReadonlySet<Permission> {
  const own = stored[role];
  return own ? new Set(own) : DEFAULT_ROLE_PERMISSIONS[role];
}

/**
 * What the role may do in the tenant: its own grants and those of every role below it. Platform
 * permissions count only for `super_admin` of the platform tenant, whatever is stored; a role the
 * tenant does not have may do nothing.
 */
export function effectiveGrants(
  stored: StoredGrants,
  tenantSlug: string,
  role: Role,
): ReadonlySet<Permission> {
  if (!tenantRoles(tenantSlug).includes(role)) return new Set();
  const platform = role === "super_admin" && tenantSlug === PLATFORM_TENANT_SLUG;
  const effective = new Set<Permission>();
  for (const lower of ROLES.filter((r) => roleAtLeast(role, r))) {
    for (const permission of ownGrants(stored, lower)) {
      if (platform || !isPlatformPermission(permission)) effective.add(permission);
    }
  }
  return effective;
}

/** The role called `name` in the tenant; 404 ROLE_NOT_FOUND when there is none. */
export function roleInTenant(name: string, tenantSlug: string): Role {
  if (!isRole(name) || !tenantRoles(tenantSlug).includes(name)) {
    throw new NotFoundError("ROLE_NOT_FOUND", `There is no role "${name}" in this tenant.`);
  }
  return name;
}

function unknownPermissions(entries: { name: string; field: string }[]): ValidationError {
  const names = [...new Set(entries.map(({ name }) => `"${name}"`))].join(", ");
  return new ValidationError(
    "UNKNOWN_PERMISSION",
    `Not in the permission catalog: ${names}.`,
    entries.map(({ name, field }) => ({ field, message: `Unknown permission "${name}".` })),
  );
}

/**
 * The catalog permissions named in the list `field`, in catalog order without duplicates. Names
 * outside the catalog are refused with 422 UNKNOWN_PERMISSION naming each, never dropped.
 */
export function parsePermissions(names: readonly string[], field: string): Permission[] {
  const unknown = names
    .map((name, index) => ({ name, field: `${field}.${index}` }))
    .filter(({ name }) => !isPermission(name));
  if (unknown.length > 0) throw unknownPermissions(unknown);
  return inCatalogOrder(names as Permission[]);
}

/** The catalog permission named in `field`; 422 UNKNOWN_PERMISSION when there is none. */
export function parsePermission(name: string, field: string): Permission {
  if (!isPermission(name)) throw unknownPermissions([{ name, field }]);
  return name;
}

export interface RoleChange {
  actorRole: Role;
  /** The actor's effective permissions in the tenant, from stored data. */
  actorPermissions: ReadonlySet<Permission>;
  target: Role;
  added: readonly Permission[];
}

/**
 * Why the change is escalation, as a 403 ROLE_ESCALATION to throw, or null when it is not: editing a
 * role at or above your own, granting a permission you do not hold, or granting a platform permission
 * to a role that can never use it.
 */
export function escalation({
  actorRole,
  actorPermissions,
  target,
  added,
}: RoleChange): ForbiddenError | null {
  if (!roleAbove(actorRole, target)) {
    return new ForbiddenError("ROLE_ESCALATION", `Only a role above ${target} may change its permissions.`);
  }
  const platform = added.filter((p) => isPlatformPermission(p) && target !== "super_admin");
  if (platform.length > 0) {
    return new ForbiddenError(
      "ROLE_ESCALATION",
      `Platform permissions belong to the platform's super_admin alone: ${platform.join(", ")}.`,
    );
  }
  const unheld = added.filter((p) => !actorPermissions.has(p));
  if (unheld.length > 0) {
    return new ForbiddenError(
      "ROLE_ESCALATION",
      `You cannot grant permissions you do not hold: ${unheld.join(", ")}.`,
    );
  }
  return null;
}
