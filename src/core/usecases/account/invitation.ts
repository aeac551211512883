import { ownAccountEvent, type RequestOrigin } from "../../domain/audit";
import { secretScope } from "../../domain/data-scope";
import { ValidationError } from "../../domain/errors";
import { assertPasswordPolicy } from "../../domain/password-policy";
import { hashSecretToken } from "../../domain/secret-token";
import type { Cache } from "../../ports/cache";
import type { Clock } from "../../ports/clock";
import type { PasswordHasher } from "../../ports/password-hasher";
import type { UnitOfWork } from "../../ports/repositories";
import { publishRevocations } from "../auth/session-state";
import type { UserCache } from "../users/user-cache";
import { invalidTokenMessage } from "./links";
import { replacePassword } from "./replace-password";

/**
 * An invited user (created without a password) chooses one with the link mailed to them. Opening
 * the mail proves the address, so it is verified too. Whoever held a session of the account before
 * the password was chosen did not choose it: every session ends, and every other link dies.
 */
export function makeAcceptInvitation({
  uow,
  hasher,
  clock,
  cache,
  sessionCacheTtlSeconds,
  userCache,
}: {
  uow: UnitOfWork;
  hasher: PasswordHasher;
  clock: Clock;
  cache: Cache;
  sessionCacheTtlSeconds: number;
  userCache: Pick<UserCache, "publish">;
}) {
  return async function acceptInvitation(
    token: string,
    newPassword: string,
    origin: RequestOrigin,
  ): Promise<void> {
    const tokenHash = hashSecretToken(token);
    const invalid = () => new ValidationError("INVALID_TOKEN", invalidTokenMessage);
    // Only the link is known: both transactions see the tenant that owns it, found from its hash.
    const scope = secretScope("one_time_token", tokenHash);
    const invited = await uow.transaction(scope, async (repos) => {
      const found = await repos.oneTimeTokens.peek(tokenHash, "invitation", clock.now());
      return found && (await repos.users.findById(found.tenantId, found.userId));
    });
    if (!invited?.isActive) throw invalid();
    assertPasswordPolicy(newPassword, invited.email, "newPassword");
    const passwordHash = await hasher.hash(newPassword);
    const ended = await uow.transaction(scope, async (repos) => {
      const now = clock.now();
      const used = await repos.oneTimeTokens.consume(tokenHash, "invitation", now);
      if (!used) throw invalid();
      if (!invited.emailVerifiedAt) await repos.users.markEmailVerified(used.tenantId, used.userId, now);
      const sessions = await replacePassword(repos, used, passwordHash, "password_changed", now);
      await repos.audit.append(
        ownAccountEvent(invited, "user.invitation_accepted", { sessionsEnded: sessions.length }),
        origin,
      );
      return sessions;
    });
    await publishRevocations(cache, ended, sessionCacheTtlSeconds);
    await userCache.publish(invited.tenantId, invited.id);
  };
}
