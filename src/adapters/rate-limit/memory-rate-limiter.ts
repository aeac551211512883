import type { RateLimitDecision, RateLimiter, RateLimitRule } from "../../core/ports/rate-limiter";

// Epoch milliseconds in floating point are off by fractions of a microsecond; differences this small are 0.
const EPSILON_MS = 0.01;

const ceilSeconds = (ms: number) => Math.max(0, Math.ceil((ms - EPSILON_MS) / 1000));

/**
 * GCRA (generic cell rate algorithm): a key stores one theoretical arrival time (TAT). A request is
 * allowed when it comes no earlier than TAT - window, and then pushes TAT back by window / limit: up to
 * `limit` requests at once, then one every window / limit. Refused requests cost nothing.
 * Mirrored in Lua by the Redis rate limiter.
 */
export function gcra(at: number, storedTat: number | undefined, { limit, windowSeconds }: RateLimitRule) {
  const window = windowSeconds * 1000;
  const interval = window / limit;
  const tat = Math.max(storedTat ?? at, at);
  const next = tat + interval;
  const allowAt = next - window;
  if (allowAt > at + EPSILON_MS) {
    const decision: RateLimitDecision = {
      allowed: false,
      limit,
      remaining: 0,
      resetSeconds: ceilSeconds(tat - at),
      retryAfterSeconds: Math.max(1, ceilSeconds(allowAt - at)),
    };
    return { decision, tat };
  }
  const decision: RateLimitDecision = {
    allowed: true,
    limit,
    remaining: Math.max(0, Math.floor((window - (next - at) + EPSILON_MS) / interval)),
    resetSeconds: ceilSeconds(next - at),
    retryAfterSeconds: 0,
  };
  return { decision, tat: next };
}

/**
 * An in-process rate limiter, for one instance or as the fallback of a shared one. Bounded: the least
 * recently hit keys go once replenished, or sooner when there are more than `maxKeys`.
 */
export function memoryRateLimiter({ now = Date.now, maxKeys = 100_000 } = {}): RateLimiter {
  const arrivals = new Map<string, number>(); // key -> TAT in ms, least recently hit first

  function prune(at: number) {
    for (const [key, tat] of arrivals) {
      if (tat > at && arrivals.size <= maxKeys) return;
      arrivals.delete(key);
    }
  }

  return {
    async hit(key, rule) {
      const at = now();
      const { decision, tat } = gcra(at, arrivals.get(key), rule);
      arrivals.delete(key);
      arrivals.set(key, tat);
      prune(at);
      return decision;
    },
    async reset(key) {
      arrivals.delete(key);
    },
  };
}
