import { type Acting, actsOnSelf, successEvent } from "../../domain/acting";
import { scopeOf } from "../../domain/data-scope";
import { assertPasswordPolicy } from "../../domain/password-policy";
import type { Cache } from "../../ports/cache";
import type { Clock } from "../../ports/clock";
import type { LoginLockout } from "../../ports/login-lockout";
import type { PasswordHasher } from "../../ports/password-hasher";
import type { UnitOfWork } from "../../ports/repositories";
import { replacePassword } from "../account/replace-password";
import type { Authorize } from "../auth/authorize";
import { publishRevocations } from "../auth/session-state";
import { assertCurrentPassword } from "./current-password";
import { targetUser } from "./target-user";
import type { UserCache } from "./user-cache";

export interface ChangePasswordDeps {
  authorize: Authorize;
  uow: UnitOfWork;
  hasher: PasswordHasher;
  clock: Clock;
  cache: Cache;
  sessionCacheTtlSeconds: number;
  /** Guessing the current password counts like failed logins of the account. */
  lockout: LoginLockout;
  userCache: Pick<UserCache, "publish">;
}

export interface ChangePasswordInput {
  userId: string;
  currentPassword?: string;
  newPassword: string;
}

/**
 * Sets a new password. Your own needs your current one; someone else's needs users:credentials.
 * Every other session of the user ends: a stolen session does not survive the change.
 */
export function makeChangePassword(deps: ChangePasswordDeps) {
  const { uow, hasher, clock, cache } = deps;

  return async function changePassword(acting: Acting, input: ChangePasswordInput) {
    const { tenant } = acting;
    const user = await targetUser(uow, deps.authorize, acting, input.userId, "users:credentials");
    const self = actsOnSelf(acting, user.id);

    if (self) {
      // Only your own change asks for the stored password; nobody else's needs it read.
      const passwordHash = await uow.transaction(
        scopeOf(acting),
        async (repos) =>
          (await repos.users.findCredentialsByEmail(tenant.id, user.email))?.passwordHash ?? null,
      );
      await assertCurrentPassword(deps, user, passwordHash, input.currentPassword, "change_password");
    }
    assertPasswordPolicy(input.newPassword, user.email, "newPassword");
    const newHash = await hasher.hash(input.newPassword);

    const ended = await uow.transaction(scopeOf(acting), async (repos) => {
      const now = clock.now();
      const sessions = await replacePassword(
        repos,
        {
          tenantId: tenant.id,
          userId: user.id,
          keepSessionId: self ? acting.principal.sessionId : undefined,
        },
        newHash,
        "password_changed",
        now,
      );
      await repos.audit.append(
        successEvent(
          acting,
          "user.password_changed",
          { type: "user", id: user.id },
          {
            self,
            sessionsEnded: sessions.length,
          },
        ),
        acting.origin,
      );
      return sessions;
    });
    await publishRevocations(cache, ended, deps.sessionCacheTtlSeconds);
    await deps.userCache.publish(tenant.id, user.id);
  };
}
