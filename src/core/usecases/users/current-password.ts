import { RateLimitedError, ValidationError } from "../../domain/errors";
import type { LoginLockout } from "../../ports/login-lockout";
import type { PasswordHasher } from "../../ports/password-hasher";
import { lockoutKey } from "../auth/lockout-key";

export interface CurrentPasswordDeps {
  hasher: PasswordHasher;
  lockout: LoginLockout;
}

/**
 * Proves that whoever holds the session also knows the password, before a change that would let a
 * stolen session take over the account (a new password, a new email). Wrong guesses count towards
 * the account's login lockout.
 */
export async function assertCurrentPassword(
  { hasher, lockout }: CurrentPasswordDeps,
  user: { tenantId: string; email: string },
  storedHash: string | null,
  password: string | undefined,
  endpoint: string,
): Promise<void> {
  if (!password) {
    throw new ValidationError("CURRENT_PASSWORD_REQUIRED", "This change needs your current password.", [
      { field: "currentPassword", message: "Required for a change to your own account." },
    ]);
  }
  const key = lockoutKey(user.tenantId, user.email);
  const lockedFor = await lockout.lockedFor(key);
  if (lockedFor > 0) {
    throw new RateLimitedError(
      "LOGIN_LOCKED",
      "Too many wrong passwords for this account; try again later.",
      lockedFor,
      {
        endpoint,
        scope: "account",
        limit: 0,
        remaining: 0,
        resetSeconds: lockedFor,
      },
    );
  }
  if (!storedHash || !(await hasher.verify(password, storedHash))) {
    await lockout.recordFailure(key);
    throw new ValidationError("INVALID_CURRENT_PASSWORD", "The current password is not correct.", [
      { field: "currentPassword", message: "Not correct." },
    ]);
  }
}
