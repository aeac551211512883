import type { RequestOrigin } from "../../domain/audit";
import { secretScope } from "../../domain/data-scope";
import { RateLimitedError, TenantInactiveError, UnauthorizedError } from "../../domain/errors";
import {
  MFA_METHODS,
  MFA_TOKEN_MAX_FAILURES,
  MFA_TOKEN_TTL_SECONDS,
  type MfaChallengeAnswer,
} from "../../domain/mfa";
import { hashSecretToken, newSecretToken } from "../../domain/secret-token";
import type { User } from "../../domain/user";
import type { Clock } from "../../ports/clock";
import type { IdGenerator } from "../../ports/id-generator";
import type { LoginLockout } from "../../ports/login-lockout";
import type { Repositories, UnitOfWork } from "../../ports/repositories";
import { lockoutKey } from "../auth/lockout-key";
import { openSession } from "../auth/open-session";
import type { TokenIssuer, TokenPair } from "../auth/token-issuer";
import type { UserCache } from "../users/user-cache";
import { acceptCode, type SecondFactorDeps } from "./second-factor";

export interface MfaSignInDeps extends SecondFactorDeps {
  uow: UnitOfWork;
  issuer: TokenIssuer;
  clock: Clock;
  ids: IdGenerator;
  lockout: LoginLockout;
  refreshTokenTtlSeconds: number;
  userCache: Pick<UserCache, "publish">;
}

const invalidMfaToken = () =>
  new UnauthorizedError("INVALID_MFA_TOKEN", "The sign-in step has expired or was used up; sign in again.");
const invalidCode = () => new UnauthorizedError("INVALID_MFA_CODE", "The code is not correct.");

type Outcome =
  | {
      kind: "signed_in";
      pair: TokenPair;
      cookieSession: boolean;
      key: string;
      tenantId: string;
      userId: string;
    }
  | { kind: "refused"; error: Error; failedKey?: string };

/**
 * The second step of signing in a user who has a TOTP factor. The password step gets an `mfaToken`
 * (random, stored hashed, 5 minutes, single use); this step trades it and a TOTP or recovery code for
 * the session. Five wrong codes kill the token, and each counts towards the account's lockout, which
 * only a passed second factor clears.
 */
export function makeMfaSignIn(deps: MfaSignInDeps) {
  const { uow, clock, ids, lockout, issuer } = deps;

  /**
   * The password step's question, asked in the transaction that would otherwise open the session
   * (the login's, in the user's tenant): the factor is read locked, so one confirmed meanwhile is
   * seen, and one being confirmed now is waited for, before any session exists.
   */
  async function challengeIfEnrolled(
    repos: Repositories,
    user: User,
    cookieSession: boolean,
    origin: RequestOrigin,
  ): Promise<MfaChallengeAnswer | null> {
    const factor = await repos.mfa.findFactorLocked(user.tenantId, user.id);
    if (!factor?.confirmedAt) return null;
    const now = clock.now();
    const mfaToken = newSecretToken();
    const id = ids.next();
    await repos.mfa.createChallenge({
      id,
      tenantId: user.tenantId,
      userId: user.id,
      tokenHash: hashSecretToken(mfaToken),
      cookieSession,
      createdAt: now,
      expiresAt: new Date(now.getTime() + MFA_TOKEN_TTL_SECONDS * 1000),
    });
    await repos.audit.append(
      {
        tenantId: user.tenantId,
        actor: { type: "user", id: user.id, display: user.email },
        action: "auth.mfa.challenged",
        resource: { type: "user", id: user.id },
        outcome: "success",
      },
      origin,
    );
    return { mfaRequired: true, mfaToken, methods: [...MFA_METHODS] };
  }

  async function verify(
    input: { mfaToken: string; code: string },
    origin: RequestOrigin,
  ): Promise<{ pair: TokenPair; cookieSession: boolean }> {
    // Only the challenge token is known: the transaction sees the rows of the tenant that owns it,
    // or none (an unknown token finds no challenge: the invalid-token answer).
    const tokenHash = hashSecretToken(input.mfaToken);
    const scope = secretScope("mfa_challenge", tokenHash);
    const outcome = await uow.transaction(scope, async (repos): Promise<Outcome> => {
      const now = clock.now();
      const challenge = await repos.mfa.findChallengeLocked(tokenHash);
      if (!challenge || challenge.endedAt || challenge.expiresAt <= now)
        return { kind: "refused", error: invalidMfaToken() };
      const tenant = await repos.tenants.findById(challenge.tenantId);
      if (tenant?.status !== "active") throw new TenantInactiveError(tenant?.status ?? "unknown");
      const user = await repos.users.findByIdLocked(challenge.tenantId, challenge.userId);
      const factor = await repos.mfa.findFactorLocked(challenge.tenantId, challenge.userId);
      if (!user?.isActive || !factor?.confirmedAt) {
        await repos.mfa.endChallenge(challenge.id, now);
        return { kind: "refused", error: invalidMfaToken() };
      }
      const key = lockoutKey(user.tenantId, user.email);
      const lockedFor = await lockout.lockedFor(key);
      if (lockedFor > 0) {
        await repos.mfa.endChallenge(challenge.id, now);
        return { kind: "refused", error: locked(lockedFor) };
      }
      const actor = { type: "user" as const, id: user.id, display: user.email };
      const accepted = acceptCode(deps, factor, input.code, now);
      if (!accepted) {
        const failures = await repos.mfa.recordChallengeFailure(challenge.id);
        if (failures >= MFA_TOKEN_MAX_FAILURES) await repos.mfa.endChallenge(challenge.id, now);
        await repos.audit.append(
          {
            tenantId: user.tenantId,
            actor,
            action: "auth.mfa.failed",
            resource: { type: "user", id: user.id },
            outcome: "failure",
            metadata: { failures, tokenEnded: failures >= MFA_TOKEN_MAX_FAILURES },
          },
          origin,
        );
        return { kind: "refused", error: invalidCode(), failedKey: key };
      }

      await repos.mfa.endChallenge(challenge.id, now);
      await repos.mfa.recordUse(user.tenantId, user.id, accepted.use, now);
      const sessionId = ids.next();
      const expiresAt = new Date(now.getTime() + deps.refreshTokenTtlSeconds * 1000);
      const refreshToken = issuer.refreshToken({ id: sessionId, tenantId: user.tenantId }, now, expiresAt);
      await openSession(
        repos,
        { user, sessionId, now, expiresAt, refreshToken: refreshToken.record, mfa: true },
        origin,
      );
      await repos.audit.append(
        {
          tenantId: user.tenantId,
          actor,
          action: "auth.mfa.succeeded",
          resource: { type: "session", id: sessionId },
          outcome: "success",
          metadata: {
            method: accepted.method,
            ...(accepted.use.recoveryCodeHashes
              ? { recoveryCodesLeft: accepted.use.recoveryCodeHashes.length }
              : {}),
          },
        },
        origin,
      );
      return {
        kind: "signed_in",
        pair: issuer.pair(user, sessionId, now, refreshToken.raw),
        cookieSession: challenge.cookieSession,
        key,
        tenantId: user.tenantId,
        userId: user.id,
      };
    });

    if (outcome.kind === "refused") {
      if (outcome.failedKey) await lockout.recordFailure(outcome.failedKey);
      throw outcome.error;
    }
    await lockout.clear(outcome.key);
    await deps.userCache.publish(outcome.tenantId, outcome.userId); // lastLoginAt moved
    return { pair: outcome.pair, cookieSession: outcome.cookieSession };
  }

  return { challengeIfEnrolled, verify };
}

function locked(seconds: number) {
  return new RateLimitedError(
    "LOGIN_LOCKED",
    "Too many failed sign-ins for this account; try again later.",
    seconds,
    {
      endpoint: "mfa_verify",
      scope: "account",
      limit: 0,
      remaining: 0,
      resetSeconds: seconds,
    },
  );
}

export type MfaSignIn = ReturnType<typeof makeMfaSignIn>;
