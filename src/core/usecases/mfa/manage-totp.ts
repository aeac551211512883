import { type Acting, actsOnSelf, successEvent } from "../../domain/acting";
import { scopeOf } from "../../domain/data-scope";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../../domain/errors";
import { mfaPolicyOf, mfaRequiredFor, newRecoveryCodes, recoveryCodeHash } from "../../domain/mfa";
import type { Session } from "../../domain/session";
import type { User } from "../../domain/user";
import type { Cache } from "../../ports/cache";
import type { Clock } from "../../ports/clock";
import type { LoginLockout } from "../../ports/login-lockout";
import type { PasswordHasher } from "../../ports/password-hasher";
import type { UnitOfWork } from "../../ports/repositories";
import { lockoutKey } from "../auth/lockout-key";
import { requirePerson } from "../auth/person-only";
import { assertCurrentPassword } from "../users/current-password";
import { acceptCode, type SecondFactorDeps } from "./second-factor";
import { publishSessionStates } from "./session-states";

export interface ManageTotpDeps extends SecondFactorDeps {
  /** Every read and write in the tenant acted on, which is the person's own (they act on themselves). */
  uow: UnitOfWork;
  hasher: PasswordHasher;
  /** Wrong passwords and wrong codes count like failed logins of the account. */
  lockout: LoginLockout;
  clock: Clock;
  cache: Cache;
  sessionCacheTtlSeconds: number;
  /** Shown by authenticator apps beside the tenant's name (the otpauth issuer). */
  productName: string;
}

const wrongCode = () =>
  new ValidationError("INVALID_MFA_CODE", "The code is not correct.", [
    { field: "code", message: "Not correct." },
  ]);
const notEnabled = () =>
  new NotFoundError("MFA_NOT_ENABLED", "Two-factor sign-in is not on for this account.");

/**
 * A signed-in person's own TOTP factor: enrol (password), confirm (first code; recovery codes shown
 * once), turn off (password and a code), replace the recovery codes (a code). An enrolment never
 * replaces a confirmed factor: that needs turning it off first, which needs a code.
 */
export function makeManageTotp(deps: ManageTotpDeps) {
  const { uow, clock, lockout } = deps;

  async function self(acting: Acting): Promise<User> {
    requirePerson(acting.principal);
    if (!actsOnSelf(acting, acting.principal.userId))
      throw new ForbiddenError("FORBIDDEN", "Two-factor sign-in is set up by the account's own person.");
    // Acting on oneself: the tenant acted on is the home tenant, so scopeOf(acting) is the user's.
    const user = await uow.transaction(scopeOf(acting), (repos) =>
      repos.users.findById(acting.home.id, acting.principal.userId),
    );
    if (!user) throw new NotFoundError("USER_NOT_FOUND", "No such user.");
    return user;
  }

  async function checkPassword(acting: Acting, user: User, password: string, endpoint: string) {
    const credentials = await uow.transaction(scopeOf(acting), (repos) =>
      repos.users.findCredentialsByEmail(user.tenantId, user.email),
    );
    await assertCurrentPassword(deps, user, credentials?.passwordHash ?? null, password, endpoint);
  }

  const failCode = async (user: User) => {
    await lockout.recordFailure(lockoutKey(user.tenantId, user.email));
    return wrongCode();
  };

  return {
    async enrol(acting: Acting, password: string): Promise<{ secret: string; otpauthUri: string }> {
      const user = await self(acting);
      await checkPassword(acting, user, password, "mfa_enrol");
      const secret = deps.totp.newSecret();
      const now = clock.now();
      const saved = await uow.transaction(scopeOf(acting), async (repos) => {
        if (!(await repos.mfa.savePending(user.tenantId, user.id, deps.box.seal(secret), now))) return false;
        await repos.audit.append(
          successEvent(acting, "mfa.totp.enrolment_started", { type: "user", id: user.id }),
          acting.origin,
        );
        return true;
      });
      if (!saved)
        throw new ConflictError(
          "MFA_ALREADY_ENABLED",
          "Two-factor sign-in is already on; turn it off first.",
        );
      const issuer = `${deps.productName} (${acting.home.name})`;
      return { secret, otpauthUri: deps.totp.uri(secret, user.email, issuer) };
    },

    async confirm(acting: Acting, code: string): Promise<{ recoveryCodes: string[] }> {
      const user = await self(acting);
      const recoveryCodes = newRecoveryCodes();
      const result = await uow.transaction(scopeOf(acting), async (repos) => {
        const now = clock.now();
        const factor = await repos.mfa.findFactorLocked(user.tenantId, user.id);
        if (!factor) throw new ConflictError("MFA_NOT_PENDING", "Start an enrolment first.");
        if (factor.confirmedAt)
          throw new ConflictError("MFA_ALREADY_ENABLED", "Two-factor sign-in is already on.");
        const accepted = acceptCode(deps, factor, code, now, ["totp"]);
        if (!accepted) return null;
        await repos.mfa.confirm(
          user.tenantId,
          user.id,
          accepted.use.lastUsedStep!,
          recoveryCodes.map(recoveryCodeHash),
          now,
        );
        const released = await repos.mfa.releaseEnrolmentSessions(user.tenantId, user.id);
        const current = await repos.mfa.markSessionMfa(acting.principal.sessionId);
        await repos.audit.append(
          successEvent(acting, "mfa.totp.enabled", { type: "user", id: user.id }),
          acting.origin,
        );
        return [...released.filter((session) => session.id !== current?.id), ...(current ? [current] : [])];
      });
      if (!result) throw await failCode(user);
      await publishSessionStates(deps.cache, result as Session[], deps.sessionCacheTtlSeconds);
      return { recoveryCodes };
    },

    async disable(acting: Acting, input: { password: string; code: string }): Promise<void> {
      const user = await self(acting);
      await checkPassword(acting, user, input.password, "mfa_disable");
      const tenant = await uow.transaction(scopeOf(acting), (repos) => repos.tenants.findById(user.tenantId));
      if (mfaRequiredFor(mfaPolicyOf(tenant?.settings ?? {}), user.role)) {
        throw new ForbiddenError(
          "MFA_REQUIRED_BY_TENANT",
          "Your tenant requires two-factor sign-in for your role.",
        );
      }
      const done = await uow.transaction(scopeOf(acting), async (repos) => {
        const factor = await repos.mfa.findFactorLocked(user.tenantId, user.id);
        if (!factor?.confirmedAt) throw notEnabled();
        if (!acceptCode(deps, factor, input.code, clock.now())) return false;
        await repos.mfa.deleteFactor(user.tenantId, user.id);
        await repos.audit.append(
          successEvent(acting, "mfa.totp.disabled", { type: "user", id: user.id }),
          acting.origin,
        );
        return true;
      });
      if (!done) throw await failCode(user);
    },

    async regenerateRecoveryCodes(acting: Acting, code: string): Promise<{ recoveryCodes: string[] }> {
      const user = await self(acting);
      const recoveryCodes = newRecoveryCodes();
      const done = await uow.transaction(scopeOf(acting), async (repos) => {
        const now = clock.now();
        const factor = await repos.mfa.findFactorLocked(user.tenantId, user.id);
        if (!factor?.confirmedAt) throw notEnabled();
        const accepted = acceptCode(deps, factor, code, now);
        if (!accepted) return false;
        await repos.mfa.recordUse(
          user.tenantId,
          user.id,
          { ...accepted.use, recoveryCodeHashes: recoveryCodes.map(recoveryCodeHash) },
          now,
        );
        await repos.audit.append(
          successEvent(acting, "mfa.recovery_codes.regenerated", { type: "user", id: user.id }),
          acting.origin,
        );
        return true;
      });
      if (!done) throw await failCode(user);
      return { recoveryCodes };
    },
  };
}

export type ManageTotp = ReturnType<typeof makeManageTotp>;
