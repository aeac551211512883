import type { LockoutPolicy, LoginLockout } from "../../core/ports/login-lockout";

interface Failures {
  count: number;
  lastAt: number;
  lockedUntil: number;
}

/** Seconds of lock that the `count`th failure within the window imposes. */
function lockSeconds({ threshold, baseSeconds, maxSeconds }: LockoutPolicy, count: number): number {
  if (count < threshold) return 0;
  return Math.ceil(Math.min(baseSeconds * 2 ** (count - threshold), maxSeconds));
}

/**
 * An in-process login lockout, for one instance or as the fallback of a shared one. Bounded: the least
 * recently failed keys go once forgotten and unlocked, or sooner when there are more than `maxKeys`.
 */
export function memoryLoginLockout(
  policy: LockoutPolicy,
  { now = Date.now, maxKeys = 100_000 } = {},
): LoginLockout {
  const windowMs = policy.windowSeconds * 1000;
  const keys = new Map<string, Failures>(); // least recently failed first
  const forgottenAt = (f: Failures) => Math.max(f.lastAt + windowMs, f.lockedUntil);

  function prune(at: number) {
    for (const [key, failures] of keys) {
      if (forgottenAt(failures) > at && keys.size <= maxKeys) return;
      keys.delete(key);
    }
  }

  return {
    async lockedFor(key) {
      const failures = keys.get(key);
      if (!failures) return 0;
      return Math.max(0, Math.ceil((failures.lockedUntil - now()) / 1000));
    },
    async recordFailure(key) {
      const at = now();
      const previous = keys.get(key);
      const counting = previous && at - previous.lastAt < windowMs;
      const count = counting ? previous.count + 1 : 1;
      const lock = lockSeconds(policy, count);
      const lockedUntil = Math.max(previous?.lockedUntil ?? 0, at + lock * 1000);
      keys.delete(key);
      keys.set(key, { count, lastAt: at, lockedUntil });
      prune(at);
      return lock;
    },
    async clear(key) {
      keys.delete(key);
    },
  };
}
