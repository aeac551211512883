import type { Principal, TenantRef } from "../../domain/acting";
import { ForbiddenError, NotFoundError } from "../../domain/errors";
import type { Permission } from "../../domain/permissions";
import { roleAbove } from "../../domain/roles";
import type { User } from "../../domain/user";
import type { UserRepository } from "../../ports/repositories";
import type { Authorize } from "../auth/authorize";

/** Whether the actor holds `permission` for users of `tenant`: in it, or from `home` with platform:users. */
async function mayActIn(
  authorize: Authorize,
  actor: Principal,
  home: TenantRef,
  tenant: TenantRef,
  permission: Permission,
): Promise<boolean> {
  if (tenant.id === home.id) return authorize(actor, tenant, permission);
  return (await authorize(actor, home, permission)) && (await authorize(actor, home, "platform:users"));
}

/**
 * The user an action is aimed at. Acting on yourself is always allowed; on someone else it needs
 * `permission` and a role strictly above theirs (an admin cannot act on another admin). A user of
 * another tenant does not exist. A platform admin acting in another tenant (`home` is their own)
 * holds the permission in their home tenant, with platform:users, as for managing users.
 */
export async function targetUser(
  users: Pick<UserRepository, "findById">,
  authorize: Authorize,
  actor: Principal,
  tenant: TenantRef,
  userId: string,
  permission: Permission,
  home: TenantRef = tenant,
): Promise<User> {
  const user = await users.findById(tenant.id, userId);
  if (!user) throw new NotFoundError("USER_NOT_FOUND", "No such user.");
  if (user.id === actor.userId) return user;
  if (!roleAbove(actor.role, user.role) || !(await mayActIn(authorize, actor, home, tenant, permission))) {
    throw new ForbiddenError(
      "FORBIDDEN",
      `Acting on another user needs the ${permission} permission and a role above theirs.`,
    );
  }
  return user;
}
