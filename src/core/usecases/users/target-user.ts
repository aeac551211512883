import { type Acting, actsOnSelf } from "../../domain/acting";
import { scopeOf } from "../../domain/data-scope";
import { ForbiddenError, NotFoundError } from "../../domain/errors";
import type { Permission } from "../../domain/permissions";
import { roleAbove } from "../../domain/roles";
import type { User } from "../../domain/user";
import type { UnitOfWork } from "../../ports/repositories";
import type { Authorize } from "../auth/authorize";
import { requireUserPermission } from "./user-scope";

/**
 * The user an action is aimed at, in the tenant acted on (a user of another tenant does not exist).
 * Acting on yourself is always allowed; on someone else it needs `permission` under the user-scope
 * rule and a role strictly above theirs (an admin cannot act on another admin).
 *
 * The user is read in a transaction of its own, in the tenant acted on, and the permission is checked
 * after it ends: a permission check may fill the cache from the database, and must not wait for a
 * connection while this one is held (the embedded database has only one).
 */
export async function targetUser(
  uow: Pick<UnitOfWork, "transaction">,
  authorize: Authorize,
  acting: Acting,
  userId: string,
  permission: Permission,
): Promise<User> {
  const user = await uow.transaction(scopeOf(acting), (repos) =>
    repos.users.findById(acting.tenant.id, userId),
  );
  if (!user) throw new NotFoundError("USER_NOT_FOUND", "No such user.");
  if (actsOnSelf(acting, user.id)) return user;
  await requireUserPermission(authorize, acting, permission);
  if (!roleAbove(acting.principal.role, user.role)) {
    throw new ForbiddenError("FORBIDDEN", "Acting on another user needs a role above theirs.");
  }
  return user;
}
