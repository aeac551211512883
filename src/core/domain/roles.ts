/**
 * Built-in roles, lowest first. Each role inherits every permission of the roles below it.
 * `super_admin` exists only in the platform tenant.
 */
export const ROLES = ["guest", "member", "admin", "super_admin"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

/** True when `actor` stands strictly above `target` in the hierarchy. */
export function roleAbove(actor: Role, target: Role): boolean {
  return roleRank(actor) > roleRank(target);
}

/** True when `actor` stands at or above `target` in the hierarchy. */
export function roleAtLeast(actor: Role, target: Role): boolean {
  return roleRank(actor) >= roleRank(target);
}
