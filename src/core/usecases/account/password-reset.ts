import type { TenantRef } from "../../domain/acting";
import type { RequestOrigin } from "../../domain/audit";
import { secretScope, tenantScope } from "../../domain/data-scope";
import { ValidationError } from "../../domain/errors";
import { assertPasswordPolicy } from "../../domain/password-policy";
import { hashSecretToken } from "../../domain/secret-token";
import { normalizeEmail } from "../../domain/user";
import type { Cache } from "../../ports/cache";
import type { Clock } from "../../ports/clock";
import type { IdGenerator } from "../../ports/id-generator";
import type { LoginLockout } from "../../ports/login-lockout";
import type { Mailer } from "../../ports/mailer";
import type { PasswordHasher } from "../../ports/password-hasher";
import type { RateLimiter } from "../../ports/rate-limiter";
import type { UnitOfWork } from "../../ports/repositories";
import { accountLimitKey } from "../auth/abuse-guard";
import { lockoutKey } from "../auth/lockout-key";
import { publishRevocations } from "../auth/session-state";
import type { UserCache } from "../users/user-cache";
import { emails } from "./emails";
import { type AccountLinks, invalidTokenMessage } from "./links";
import { issueOneTimeToken } from "./one-time-tokens";
import { replacePassword } from "./replace-password";

export interface PasswordResetDeps {
  uow: UnitOfWork;
  mailer: Mailer;
  hasher: PasswordHasher;
  cache: Cache;
  clock: Clock;
  ids: IdGenerator;
  links: AccountLinks;
  ttlSeconds: number;
  sessionCacheTtlSeconds: number;
  /** A reset proves the owner: it lifts the account's login lockout. */
  lockout: LoginLockout;
  rateLimiter: RateLimiter;
  userCache: Pick<UserCache, "publish">;
}

export function makePasswordReset(deps: PasswordResetDeps) {
  const { uow, mailer, hasher, clock } = deps;

  return {
    /**
     * Mails a reset link when the address belongs to an active user of the tenant; does nothing
     * otherwise. The caller answers the same either way.
     */
    async request(tenant: TenantRef, email: string, origin: RequestOrigin): Promise<void> {
      // No one is signed in: the tenant is the one the request named (its slug), resolved before.
      const issued = await uow.transaction(tenantScope(tenant.id), async (repos) => {
        const user = (await repos.users.findCredentialsByEmail(tenant.id, normalizeEmail(email)))?.user;
        if (!user?.isActive) return null;
        const token = await issueOneTimeToken(repos, deps, {
          tenantId: tenant.id,
          userId: user.id,
          purpose: "password_reset",
          ttlSeconds: deps.ttlSeconds,
        });
        await repos.audit.append(
          {
            tenantId: tenant.id,
            actor: { type: "user", id: null, display: user.email },
            action: "auth.password_reset.requested",
            resource: { type: "user", id: user.id },
            outcome: "success",
          },
          origin,
        );
        return { user, token };
      });
      if (!issued) return;
      const minutes = Math.round(deps.ttlSeconds / 60);
      await mailer.send(
        emails.resetPassword(issued.user.email, deps.links.resetPassword(issued.token), minutes),
      );
    },

    /** Sets a new password with a reset token. Every session of the user ends. */
    async reset(token: string, newPassword: string, origin: RequestOrigin): Promise<void> {
      const tokenHash = hashSecretToken(token);
      const invalid = () => new ValidationError("INVALID_TOKEN", invalidTokenMessage);
      // Only the link is known: both transactions see the tenant that owns it, found from its hash.
      const scope = secretScope("one_time_token", tokenHash);
      // The policy is checked before the token is used, so a weak password does not burn the link.
      const pending = await uow.transaction(scope, async (repos) => {
        const found = await repos.oneTimeTokens.peek(tokenHash, "password_reset", clock.now());
        return found && (await repos.users.findById(found.tenantId, found.userId));
      });
      if (!pending?.isActive) throw invalid();
      assertPasswordPolicy(newPassword, pending.email, "newPassword");
      const newHash = await hasher.hash(newPassword);

      const ended = await uow.transaction(scope, async (repos) => {
        const now = clock.now();
        const used = await repos.oneTimeTokens.consume(tokenHash, "password_reset", now);
        if (!used) throw invalid();
        const sessions = await replacePassword(repos, used, newHash, "password_reset", now);
        await repos.audit.append(
          {
            tenantId: used.tenantId,
            actor: { type: "user", id: used.userId, display: pending.email },
            action: "auth.password_reset.completed",
            resource: { type: "user", id: used.userId },
            outcome: "success",
            metadata: { sessionsEnded: sessions.length },
          },
          origin,
        );
        return sessions;
      });
      await publishRevocations(deps.cache, ended, deps.sessionCacheTtlSeconds);
      await deps.userCache.publish(pending.tenantId, pending.id);
      // The owner proved themselves: lift the lockout and the login limit an attacker may be holding.
      await deps.lockout.clear(lockoutKey(pending.tenantId, pending.email));
      await deps.rateLimiter.reset(accountLimitKey("login", pending.tenantId, pending.email));
    },
  };
}

export type PasswordReset = ReturnType<typeof makePasswordReset>;
