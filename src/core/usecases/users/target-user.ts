import { ForbiddenError, NotFoundError } from "../../domain/errors";
import type { Permission } from "../../domain/permissions";
import { roleAbove } from "../../domain/roles";
import type { User } from "../../domain/user";
import type { UserRepository } from "../../ports/repositories";
import type { Principal } from "../auth/authenticate";
import type { Authorize } from "../auth/authorize";
import type { TenantRef } from "../tenants/resolve-tenant";

/**
 * The user an action is aimed at. Acting on yourself is always allowed; on someone else it needs
 * `permission` and a role strictly above theirs (an admin cannot act on another admin). A user of
 * another tenant does not exist.
 */
export async function targetUser(
  users: Pick<UserRepository, "findById">,
  authorize: Authorize,
  actor: Principal,
  tenant: TenantRef,
  userId: string,
  permission: Permission,
): Promise<User> {
  const user = await users.findById(tenant.id, userId);
  if (!user) throw new NotFoundError("USER_NOT_FOUND", "No such user.");
  if (user.id === actor.userId) return user;
  if (!roleAbove(actor.role, user.role) || !(await authorize(actor, tenant, permission))) {
    throw new ForbiddenError(
      "FORBIDDEN",
      `Acting on another user needs the ${permission} permission and a role above theirs.`,
    );
  }
  return user;
}
