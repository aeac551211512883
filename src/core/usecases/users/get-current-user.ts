import type { Acting } from "../../domain/acting";
import { UnauthorizedError } from "../../domain/errors";
import type { User } from "../../domain/user";
import type { UserCache } from "./user-cache";

/** The authenticated user's own record. A user deleted or deactivated since login is no longer let in. */
export function makeGetCurrentUser({ userCache }: { userCache: Pick<UserCache, "find"> }) {
  return async function getCurrentUser({ principal }: Pick<Acting, "principal">): Promise<User> {
    const user = await userCache.find(principal.tenantId, principal.userId);
    if (!user?.isActive) throw new UnauthorizedError("INVALID_TOKEN", "The account is no longer active.");
    return user;
  };
}
