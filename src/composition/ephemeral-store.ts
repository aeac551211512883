import { memoryCache } from "../adapters/cache/memory-cache";
import { nearCache } from "../adapters/cache/near-cache";
import { redisCache } from "../adapters/cache/redis-cache";
import { batchedRateLimiter } from "../adapters/rate-limit/batched-rate-limiter";
import { memoryLoginLockout } from "../adapters/rate-limit/memory-login-lockout";
import { memoryRateLimiter } from "../adapters/rate-limit/memory-rate-limiter";
import { redisLoginLockout } from "../adapters/rate-limit/redis-login-lockout";
import { redisRateLimiter } from "../adapters/rate-limit/redis-rate-limiter";
import { openRedis } from "../adapters/redis/redis-connection";
import { memoryAuditTally } from "../adapters/tally/memory-audit-tally";
import { redisAuditTally } from "../adapters/tally/redis-audit-tally";
import type { Config } from "../config";
import type { AuditTally } from "../core/ports/audit-tally";
import type { Cache } from "../core/ports/cache";
import type { Logger } from "../core/ports/logger";
import type { LoginLockout } from "../core/ports/login-lockout";
import type { RateLimiter } from "../core/ports/rate-limiter";

/**
 * State that may be lost without much harm, unlike the database's: the cache, rate-limit counters,
 * login lockouts and the audit tally (refusals counted but not yet summarised in the log). On Redis
 * when REDIS_URL is set (shared by every instance, one connection), else in this process. While
 * Redis is away the in-memory limiter, lockout and tally stand in.
 */
export interface EphemeralStore {
  cache: Cache;
  rateLimiter: RateLimiter;
  /** For limits counted on every request (per API key): decided locally, reconciled in batches. */
  requestRateLimiter: RateLimiter;
  loginLockout: LoginLockout;
  auditTally: AuditTally;
  ping(): Promise<void>;
  /** Waits (bounded) for Redis to be connected; true at once without Redis. */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export function openEphemeralStore(config: Config, logger: Logger): EphemeralStore {
  const rateLimiter = memoryRateLimiter();
  const loginLockout = memoryLoginLockout(config.abuse.lockout);
  const auditTally = memoryAuditTally();
  if (!config.cache.redisUrl) {
    return {
      cache: memoryCache(),
      rateLimiter,
      requestRateLimiter: rateLimiter,
      loginLockout,
      auditTally,
      ping: async () => {},
      ready: async () => true,
      close: async () => {},
    };
  }
  const connection = openRedis({ url: config.cache.redisUrl, keyPrefix: config.cache.keyPrefix, logger });
  const invalidationChannel = `${config.cache.keyPrefix}cache-invalidations`;
  const shared = redisCache(connection, { invalidationChannel, logger });
  const near =
    config.cache.localSeconds > 0
      ? nearCache({
          remote: shared,
          publisher: connection.redis,
          subscriber: connection.redis.duplicate(),
          channel: invalidationChannel,
          logger,
          maxLocalSeconds: config.cache.localSeconds,
        })
      : null;
  return {
    cache: near ?? shared,
    rateLimiter: redisRateLimiter(connection, rateLimiter),
    requestRateLimiter: batchedRateLimiter(connection),
    loginLockout: redisLoginLockout(connection, config.abuse.lockout, loginLockout),
    auditTally: redisAuditTally(connection, auditTally),
    ping: connection.ping,
    ready: connection.ready,
    close: async () => {
      await near?.close();
      await connection.close();
    },
  };
}
