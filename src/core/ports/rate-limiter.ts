export interface RateLimitRule {
  /** Requests allowed per window, and the largest burst. */
  limit: number;
  windowSeconds: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  /** How many more requests would be allowed right now. */
  remaining: number;
  /** Seconds until the limiter is fully replenished. */
  resetSeconds: number;
  /** 0 when allowed, else seconds (at least 1) until the next request would be allowed. */
  retryAfterSeconds: number;
}

/**
 * Counts requests per key. Implementations never throw because their store is unavailable: they
 * degrade to a local limiter rather than let every request through or refuse them all.
 */
export interface RateLimiter {
  /** Counts one request against `key` and decides whether it may proceed. */
  hit(key: string, rule: RateLimitRule): Promise<RateLimitDecision>;
  /** Forgets `key`: its next request starts a full allowance. */
  reset(key: string): Promise<void>;
}
