import { type Acting, actsOnSelf, successEvent } from "../../domain/acting";
import { scopeOf } from "../../domain/data-scope";
import { ForbiddenError, NotFoundError } from "../../domain/errors";
import type { Cache } from "../../ports/cache";
import type { Clock } from "../../ports/clock";
import type { Mailer } from "../../ports/mailer";
import type { UnitOfWork } from "../../ports/repositories";
import type { Authorize } from "../auth/authorize";
import { publishRevocations } from "../auth/session-state";
import { targetUser } from "../users/target-user";
import { mfaResetEmail } from "./mfa-emails";

export interface ResetMfaDeps {
  uow: UnitOfWork;
  authorize: Authorize;
  mailer: Mailer;
  cache: Cache;
  clock: Clock;
  sessionCacheTtlSeconds: number;
}

/**
 * An admin who outranks a user (or an operator) removes the user's second factor, for a lost phone:
 * the user's sessions end, so whoever held one must sign in again, and the user is told by email. Not
 * for oneself: that is turning it off, which needs a code.
 */
export function makeResetMfa(deps: ResetMfaDeps) {
  return async function resetMfa(acting: Acting, userId: string): Promise<{ sessionsEnded: number }> {
    if (actsOnSelf(acting, userId))
      throw new ForbiddenError("MFA_RESET_SELF", "Turn your own two-factor sign-in off with a code instead.");
    const user = await targetUser(deps.uow, deps.authorize, acting, userId, "users:credentials");
    const ended = await deps.uow.transaction(scopeOf(acting), async (repos) => {
      if (!(await repos.mfa.deleteFactor(user.tenantId, user.id))) {
        throw new NotFoundError("MFA_NOT_ENABLED", "This user has no two-factor sign-in to reset.");
      }
      const sessions = await repos.sessions.revokeAllOfUser(
        { tenantId: user.tenantId, userId: user.id },
        "mfa_reset",
        deps.clock.now(),
      );
      await repos.audit.append(
        successEvent(acting, "mfa.reset", { type: "user", id: user.id }, { sessionsEnded: sessions.length }),
        acting.origin,
      );
      return sessions;
    });
    await publishRevocations(deps.cache, ended, deps.sessionCacheTtlSeconds);
    await deps.mailer.send(mfaResetEmail(user.email, acting.tenant.name));
    return { sessionsEnded: ended.length };
  };
}

export type ResetMfa = ReturnType<typeof makeResetMfa>;
