import { ForbiddenError } from "./errors";
import { type Role, roleAbove, roleAtLeast } from "./roles";
import { PLATFORM_TENANT_SLUG } from "./tenant";

/**
 * Whether an actor of `actorRole` may give `role` to a user of the tenant `tenantSlug`: never above
 * its own role, and super_admin only in the platform tenant.
 */
export function assertAssignableRole(actorRole: Role, role: Role, tenantSlug: string): void {
  if (role === "super_admin" && tenantSlug !== PLATFORM_TENANT_SLUG) {
    throw new ForbiddenError("ROLE_ESCALATION", "super_admin exists only in the platform tenant.");
  }
  if (!roleAtLeast(actorRole, role)) {
    throw new ForbiddenError("ROLE_ESCALATION", "Nobody can give a role above their own.");
  }
}

/** Acting on another user (update, deactivate, delete) needs a role strictly above theirs. */
export function assertOutranks(actorRole: Role, targetRole: Role): void {
  if (!roleAbove(actorRole, targetRole)) {
    throw new ForbiddenError("ROLE_ESCALATION", "Only users below your role can be changed.");
  }
}
