import type { RateLimiter } from "../../core/ports/rate-limiter";
import type { RedisConnection } from "../redis/redis-connection";

// The GCRA of the memory rate limiter, on Redis server time so instances with skewed clocks agree.
// KEYS[1]: theoretical arrival time in ms. ARGV: limit, window in ms. Returns the decision as integers.
const HIT = `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local epsilon = 0.01
local interval = window / limit
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local function ceil_seconds(ms) return math.max(0, math.ceil((ms - epsilon) / 1000)) end
local tat = math.max(tonumber(redis.call('GET', KEYS[1])) or now, now)
local next_tat = tat + interval
local allow_at = next_tat - window
if allow_at > now + epsilon then
  return {0, 0, ceil_seconds(tat - now), math.max(1, ceil_seconds(allow_at - now))}
end
redis.call('SET', KEYS[1], next_tat, 'PX', math.ceil(next_tat - now))
local remaining = math.max(0, math.floor((window - (next_tat - now) + epsilon) / interval))
return {1, remaining, ceil_seconds(next_tat - now), 0}
`;

type HitCommand = (key: string, limit: number, windowMs: number) => Promise<[number, number, number, number]>;

const NAMESPACE = "rate:";

/** A rate limiter shared by every instance: one atomic script per hit; the fallback decides while Redis is away. */
export function redisRateLimiter({ redis, guarded }: RedisConnection, fallback: RateLimiter): RateLimiter {
  redis.defineCommand("rateLimitHit", { lua: HIT, numberOfKeys: 1 });
  const hitCommand = (redis as unknown as { rateLimitHit: HitCommand }).rateLimitHit.bind(redis);
  return {
    hit(key, rule) {
      return guarded(
        "rate_limit.hit",
        async () => {
          const [allowed, remaining, resetSeconds, retryAfterSeconds] = await hitCommand(
            NAMESPACE + key,
            rule.limit,
            rule.windowSeconds * 1000,
          );
          return { allowed: allowed === 1, limit: rule.limit, remaining, resetSeconds, retryAfterSeconds };
        },
        () => fallback.hit(key, rule),
      );
    },
    async reset(key) {
      await fallback.reset(key);
      await guarded(
        "rate_limit.reset",
        async () => void (await redis.del(NAMESPACE + key)),
        async () => {},
      );
    },
  };
}
