import type { Acting } from "../../domain/acting";
import type { Permission } from "../../domain/permissions";
import type { Authorize } from "../auth/authorize";
import { requirePermission } from "../auth/require-permission";

/**
 * The one rule for acting on a tenant's users: the principal holds `permission` in their home
 * tenant and, when the users are another tenant's, platform:users as well. A platform admin holding
 * both may then do in that tenant whatever its own admin may; the role hierarchy still applies, by
 * the stored role of the user acted on.
 */
export async function requireUserPermission(
  authorize: Authorize,
  acting: Acting,
  permission: Permission,
): Promise<void> {
  await requirePermission(authorize, acting, permission);
  if (acting.tenant.id !== acting.home.id) await requirePermission(authorize, acting, "platform:users");
}
