import type { RequestOrigin } from "../../domain/audit";
import { RateLimitedError, ValidationError } from "../../domain/errors";
import { assertPasswordPolicy } from "../../domain/password-policy";
import type { Cache } from "../../ports/cache";
import type { Clock } from "../../ports/clock";
import type { LoginLockout } from "../../ports/login-lockout";
import type { PasswordHasher } from "../../ports/password-hasher";
import type { UnitOfWork } from "../../ports/repositories";
import type { Principal } from "../auth/authenticate";
import { lockoutKey } from "../auth/lockout-key";
import { publishRevocations } from "../auth/session-state";
import type { TenantRef } from "../tenants/resolve-tenant";
import { targetUser } from "./target-user";

export interface ChangePasswordDeps {
  uow: UnitOfWork;
  hasher: PasswordHasher;
  clock: Clock;
  cache: Cache;
  sessionCacheTtlSeconds: number;
  /** Guessing the current password counts like failed logins of the account. */
  lockout: LoginLockout;
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

  return async function changePassword(
    actor: Principal,
    tenant: TenantRef,
    input: ChangePasswordInput,
    origin: RequestOrigin,
  ) {
    const { user, passwordHash } = await uow.transaction(async (repos) => {
      const user = await targetUser(repos.users, actor, tenant, input.userId, "users:credentials");
      const credentials = await repos.users.findCredentialsByEmail(tenant.id, user.email);
      return { user, passwordHash: credentials?.passwordHash ?? null };
    });
    const self = user.id === actor.userId;

    if (self) {
      if (!input.currentPassword) {
        throw new ValidationError(
          "CURRENT_PASSWORD_REQUIRED",
          "Changing your own password needs your current one.",
          [{ field: "currentPassword", message: "Required when changing your own password." }],
        );
      }
      const key = lockoutKey(tenant.id, user.email);
      const lockedFor = await deps.lockout.lockedFor(key);
      if (lockedFor > 0) {
        throw new RateLimitedError(
          "LOGIN_LOCKED",
          "Too many wrong passwords for this account; try again later.",
          lockedFor,
          {
            endpoint: "change_password",
            scope: "account",
            limit: 0,
            remaining: 0,
            resetSeconds: lockedFor,
          },
        );
      }
      if (!passwordHash || !(await hasher.verify(input.currentPassword, passwordHash))) {
        await deps.lockout.recordFailure(key);
        throw new ValidationError("INVALID_CURRENT_PASSWORD", "The current password is not correct.", [
          { field: "currentPassword", message: "Not correct." },
        ]);
      }
    }
    assertPasswordPolicy(input.newPassword, user.email, "newPassword");
    const newHash = await hasher.hash(input.newPassword);

    const ended = await uow.transaction(async (repos) => {
      const now = clock.now();
      await repos.users.setPasswordHash(tenant.id, user.id, newHash, now);
      const sessions = await repos.sessions.revokeAllOfUser(
        { tenantId: tenant.id, userId: user.id, exceptId: self ? actor.sessionId : undefined },
        "password_changed",
        now,
      );
      await repos.audit.append(
        {
          tenantId: tenant.id,
          actor: { type: "user", id: actor.userId, display: null },
          action: "user.password_changed",
          resource: { type: "user", id: user.id },
          outcome: "success",
          metadata: { self, sessionsEnded: sessions.length },
        },
        origin,
      );
      return sessions;
    });
    await publishRevocations(cache, ended, deps.sessionCacheTtlSeconds);
  };
}
