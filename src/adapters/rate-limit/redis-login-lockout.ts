import type { LockoutPolicy, LoginLockout } from "../../core/ports/login-lockout";
import type { RedisConnection } from "../redis/redis-connection";

// The rules of the memory login lockout, on Redis server time so instances with skewed clocks agree.
// KEYS[1]: hash of count, last (ms), until (ms). ARGV: threshold, base s, max s, window ms.
// Returns the lock in seconds; the key lives until both the window and the lock are over.
const RECORD_FAILURE = `
local threshold = tonumber(ARGV[1])
local base = tonumber(ARGV[2])
local max = tonumber(ARGV[3])
local window = tonumber(ARGV[4])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'count', 'last', 'until')
local count = tonumber(state[1]) or 0
local last = tonumber(state[2]) or 0
local locked_until = tonumber(state[3]) or 0
if now - last >= window then count = 0 end
count = count + 1
local lock = 0
if count >= threshold then lock = math.ceil(math.min(base * 2 ^ (count - threshold), max)) end
locked_until = math.max(locked_until, now + lock * 1000)
redis.call('HSET', KEYS[1], 'count', count, 'last', now, 'until', locked_until)
redis.call('PEXPIRE', KEYS[1], math.max(window, locked_until - now))
return lock
`;

const LOCKED_FOR = `
local locked_until = tonumber(redis.call('HGET', KEYS[1], 'until'))
if not locked_until then return 0 end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
return math.max(0, math.ceil((locked_until - now) / 1000))
`;

interface LockoutCommands {
  loginLockoutRecordFailure(key: string, ...policy: number[]): Promise<number>;
  loginLockoutLockedFor(key: string): Promise<number>;
}

const NAMESPACE = "lockout:";

/** A login lockout shared by every instance: one atomic script per failure. */
export function redisLoginLockout(
  { redis, guarded }: RedisConnection,
  policy: LockoutPolicy,
  fallback: LoginLockout,
): LoginLockout {
  redis.defineCommand("loginLockoutRecordFailure", { lua: RECORD_FAILURE, numberOfKeys: 1 });
  redis.defineCommand("loginLockoutLockedFor", { lua: LOCKED_FOR, numberOfKeys: 1, readOnly: true });
  const commands = redis as unknown as LockoutCommands;
  const { threshold, baseSeconds, maxSeconds, windowSeconds } = policy;
  return {
    lockedFor(key) {
      return guarded(
        "login_lockout.locked_for",
        () => commands.loginLockoutLockedFor(NAMESPACE + key),
        () => fallback.lockedFor(key),
      );
    },
    recordFailure(key) {
      return guarded(
        "login_lockout.record_failure",
        () =>
          commands.loginLockoutRecordFailure(
            NAMESPACE + key,
            threshold,
            baseSeconds,
            maxSeconds,
            windowSeconds * 1000,
          ),
        () => fallback.recordFailure(key),
      );
    },
    async clear(key) {
      await fallback.clear(key);
      await guarded(
        "login_lockout.clear",
        async () => void (await redis.del(NAMESPACE + key)),
        async () => {},
      );
    },
  };
}
