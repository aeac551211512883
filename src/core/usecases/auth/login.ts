import type { TenantRef } from "../../domain/acting";
import type { RequestOrigin } from "../../domain/audit";
import { tenantScope } from "../../domain/data-scope";
import { requiresVerifiedEmail } from "../../domain/email-verification-policy";
import { ForbiddenError, RateLimitedError, UnauthorizedError } from "../../domain/errors";
import { newSecretToken } from "../../domain/secret-token";
import { normalizeEmail, type User } from "../../domain/user";
import type { Clock } from "../../ports/clock";
import type { IdGenerator } from "../../ports/id-generator";
import type { LoginLockout } from "../../ports/login-lockout";
import type { PasswordHasher } from "../../ports/password-hasher";
import type { UnitOfWork } from "../../ports/repositories";
import type { Telemetry } from "../../ports/telemetry";
import type { RecordLockout } from "../audit/record-lockout";
import type { MfaSignIn } from "../mfa/mfa-sign-in";
import type { UserCache } from "../users/user-cache";
import { lockoutKey } from "./lockout-key";
import { openSession } from "./open-session";
import type { SignInResult, TokenIssuer } from "./token-issuer";

export interface LoginDeps {
  /**
   * Every read and write in the tenant signed in to (resolved from the request before anyone acts).
   * The credentials are read in a transaction of their own, before any lock is worth taking.
   */
  uow: UnitOfWork;
  hasher: PasswordHasher;
  issuer: TokenIssuer;
  clock: Clock;
  ids: IdGenerator;
  lockout: LoginLockout;
  /** Records each refusal of a locked account (coalesced, so trying one cannot flood the log). */
  recordLockout: RecordLockout;
  refreshTokenTtlSeconds: number;
  userCache: Pick<UserCache, "publish">;
  telemetry: Pick<Telemetry, "signIn">;
  /** A user with a second factor gets a challenge instead of tokens. */
  mfa: Pick<MfaSignIn, "challengeIfEnrolled">;
}

export interface LoginInput {
  tenant: TenantRef;
  email: string;
  password: string;
  /** The tokens are to be delivered as a cookie session (remembered across an MFA step). */
  cookieSession?: boolean;
}

const invalidCredentials = () =>
  new UnauthorizedError("INVALID_CREDENTIALS", "Email or password is incorrect.");

/**
 * Logs a user in to one tenant. Unknown email, wrong password, password-less (invited) and deactivated
 * users all fail the same way, after the same bcrypt work, so the answer reveals nothing. Each
 * failure counts towards the account's lockout (keyed by the address as typed, existing or not); a
 * locked account is refused before any password work.
 */
export function makeLogin(deps: LoginDeps) {
  const { uow, hasher, issuer, clock, ids, lockout, telemetry } = deps;
  let timingHash: Promise<string> | undefined;
  /** A hash of nothing anyone knows, made at the configured cost; made once, on first need. */
  const configuredCostHash = () => {
    timingHash ??= hasher.hash(newSecretToken());
    return timingHash;
  };
  /**
   * Every failure pays for one check at the configured cost. A stored hash of another cost (an
   * account older than the last change of BCRYPT_COST) answers in its own time, which for a cheaper
   * cost would tell an existing account from an unknown email: such a failure also checks the
   * configured-cost hash. (A stored cost above the configured one still costs more; its account is
   * upgraded at its next login.)
   */
  const payForFailure = async (password: string, storedHash: string | null) => {
    if (storedHash === null || hasher.needsRehash(storedHash))
      await hasher.verify(password, await configuredCostHash());
  };

  async function recordFailure(
    input: LoginInput,
    origin: RequestOrigin,
    reason: string,
    userId: string | null,
  ) {
    const lockedForSeconds = await lockout.recordFailure(lockoutKey(input.tenant.id, input.email));
    await uow.transaction(tenantScope(input.tenant.id), (repos) =>
      repos.audit.append(
        {
          tenantId: input.tenant.id,
          actor: { type: "user", id: userId, display: normalizeEmail(input.email) },
          action: "auth.login.failed",
          resource: { type: "user", id: userId },
          outcome: "failure",
          metadata: lockedForSeconds > 0 ? { reason, lockedForSeconds } : { reason },
        },
        origin,
      ),
    );
  }

  /**
   * A tenant with requireVerifiedEmail refuses a user whose address is not verified: only once the
   * password checked out, so the refusal tells nothing to someone without it. Not a failed guess,
   * so it does not count towards the lockout.
   */
  async function refuseIfVerificationRequired(user: User, origin: RequestOrigin) {
    // One transaction: the tenant's setting, and the refusal's audit event when it applies.
    const refused = await uow.transaction(tenantScope(user.tenantId), async (repos) => {
      const tenant = await repos.tenants.findById(user.tenantId);
      if (!requiresVerifiedEmail(tenant?.settings ?? {})) return false;
      await repos.audit.append(
        {
          tenantId: user.tenantId,
          actor: { type: "user", id: user.id, display: user.email },
          action: "auth.login.failed",
          resource: { type: "user", id: user.id },
          outcome: "failure",
          metadata: { reason: "email_not_verified" },
        },
        origin,
      );
      return true;
    });
    if (!refused) return;
    telemetry.signIn("failure");
    const refusal = new ForbiddenError(
      "EMAIL_NOT_VERIFIED",
      "Verify your email address before signing in: open the link we mailed you, or ask for a new one.",
    );
    refusal.audited = true;
    throw refusal;
  }

  return async function login(input: LoginInput, origin: RequestOrigin): Promise<SignInResult> {
    const email = normalizeEmail(input.email);
    const key = lockoutKey(input.tenant.id, email);
    const lockedFor = await lockout.lockedFor(key);
    if (lockedFor > 0) {
      telemetry.signIn("locked");
      await deps.recordLockout(
        { tenantId: input.tenant.id, actor: { type: "user", id: null, display: email }, endpoint: "login" },
        origin,
      );
      throw new RateLimitedError(
        "LOGIN_LOCKED",
        "Too many failed logins for this account; try again later.",
        lockedFor,
        {
          endpoint: "login",
          scope: "account",
          limit: 0,
          remaining: 0,
          resetSeconds: lockedFor,
        },
      );
    }
    const credentials = await uow.transaction(tenantScope(input.tenant.id), (repos) =>
      repos.users.findCredentialsByEmail(input.tenant.id, email),
    );
    const fail = async (reason: string, storedHash: string | null) => {
      await payForFailure(input.password, storedHash);
      await recordFailure(input, origin, reason, credentials?.user.id ?? null);
      telemetry.signIn("failure");
      return invalidCredentials();
    };

    if (!credentials?.passwordHash) throw await fail(credentials ? "no_password" : "unknown_email", null);
    const { user, passwordHash } = credentials;
    if (!(await hasher.verify(input.password, passwordHash)))
      throw await fail("wrong_password", passwordHash);
    if (!user.isActive) throw await fail("user_inactive", passwordHash);
    if (!user.emailVerifiedAt) await refuseIfVerificationRequired(user, origin);

    const now = clock.now();
    const sessionId = ids.next();
    const expiresAt = new Date(now.getTime() + deps.refreshTokenTtlSeconds * 1000);

    const refreshToken = issuer.refreshToken({ id: sessionId, tenantId: user.tenantId }, now, expiresAt);
    // The one moment we hold the plain password: upgrade a hash made at an older cost.
    const upgradedHash = hasher.needsRehash(passwordHash) ? await hasher.hash(input.password) : null;
    // The password check ran outside any transaction; re-read the user locked before creating the
    // session, so a demotion or deactivation committed meanwhile is seen (and one running waits).
    // The second factor is asked for in the same transaction, so a factor confirmed after the
    // password check cannot be skipped by a session opened on the strength of an older read.
    const current = await uow.transaction(tenantScope(user.tenantId), async (repos) => {
      const fresh = await repos.users.findByIdLocked(user.tenantId, user.id);
      if (!fresh?.isActive) return null;
      const challenge = await deps.mfa.challengeIfEnrolled(
        repos,
        fresh,
        input.cookieSession === true,
        origin,
      );
      if (challenge) return { challenged: true as const, challenge };
      const opened = await openSession(
        repos,
        { user: fresh, sessionId, now, expiresAt, refreshToken: refreshToken.record, mfa: false },
        origin,
      );
      if (upgradedHash) await repos.users.setPasswordHash(user.tenantId, user.id, upgradedHash, now);
      return { challenged: false as const, user: fresh, ...opened };
    });

    if (!current) {
      await recordFailure(input, origin, "user_inactive", user.id);
      telemetry.signIn("failure");
      throw invalidCredentials();
    }
    // The lockout is cleared only once the second factor checks out: wrong codes count towards it.
    if (current.challenged) return current.challenge;
    await lockout.clear(key);
    telemetry.signIn("success");
    await deps.userCache.publish(user.tenantId, user.id); // lastLoginAt moved
    const pair = issuer.pair(current.user, sessionId, now, refreshToken.raw);
    return current.mfaEnrollmentRequired ? { ...pair, mfaEnrollmentRequired: true } : pair;
  };
}
