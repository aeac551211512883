import { UnauthorizedError } from "../../domain/errors";
import type { User } from "../../domain/user";
import type { UserRepository } from "../../ports/repositories";
import type { Principal } from "../auth/authenticate";

/** The authenticated user's own record. A user deleted or deactivated since login is no longer let in. */
export function makeGetCurrentUser({ users }: { users: UserRepository }) {
  return async function getCurrentUser(principal: Principal): Promise<User> {
    const user = await users.findById(principal.tenantId, principal.userId);
    if (!user?.isActive) throw new UnauthorizedError("INVALID_TOKEN", "The account is no longer active.");
    return user;
  };
}
