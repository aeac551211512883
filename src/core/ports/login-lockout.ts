export interface LockoutPolicy {
  /** Failures within the window that trigger the first lock. */
  threshold: number;
  /** Length of the first lock; each further failure doubles it. */
  baseSeconds: number;
  /** Ceiling of any one lock, so an account is never locked out for good. */
  maxSeconds: number;
  /** Failures are forgotten this long after the last one. */
  windowSeconds: number;
}

/**
 * Progressive lockout of one account after repeated failed logins: once `threshold` failures fall
 * within a rolling window, each failure locks the key for
 * `min(baseSeconds * 2^(count - threshold), maxSeconds)` seconds from that failure.
 */
export interface LoginLockout {
  /** Seconds the key is still locked for (0 when not locked). */
  lockedFor(key: string): Promise<number>;
  /** Records a failure; returns the lock it now imposes in seconds (0 below the threshold). */
  recordFailure(key: string): Promise<number>;
  /** Forgets every failure and lock of the key: after a successful login or a password reset. */
  clear(key: string): Promise<void>;
}
