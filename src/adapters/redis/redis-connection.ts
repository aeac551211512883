import Redis from "ioredis";
import type { Logger } from "../../core/ports/logger";

export interface RedisConnection {
  redis: Redis;
  /**
   * The result of `run`, or of `fallback` when Redis fails. The first failure of an outage is
   * logged; nothing is thrown, so Redis is never what makes a request fail.
   */
  guarded<T>(operation: string, run: () => Promise<T>, fallback: () => Promise<T>): Promise<T>;
  /** Throws when Redis cannot be reached; for readiness checks. */
  ping(): Promise<void>;
  /** Waits (at most `timeoutMs`) for the connection to be ready; false when it is not. */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * The one Redis connection of an instance, shared by the cache, the rate limiter and the login
 * lockout. Commands fail fast while Redis is away (no offline queue, one retry) or stalled (command
 * timeout), so a request is never held waiting for it.
 */
export function openRedis({
  url,
  keyPrefix,
  logger,
}: {
  url: string;
  keyPrefix: string;
  logger: Logger;
}): RedisConnection {
  const redis = new Redis(url, {
    keyPrefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 500,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    // Commands issued in the same tick (concurrent requests) go out in one write.
    enableAutoPipelining: true,
  });
  let degraded = false;
  redis.on("error", () => {});
  redis.on("ready", () => {
    if (degraded) logger.info("redis.recovered", {});
    degraded = false;
  });
  return {
    redis,
    async guarded(operation, run, fallback) {
      try {
        return await run();
      } catch (error) {
        if (!degraded) logger.warn("redis.unavailable", { operation, error: (error as Error).message });
        degraded = true;
        return fallback();
      }
    },
    async ping() {
      await redis.ping();
    },
    ready(timeoutMs) {
      if (redis.status === "ready") return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          redis.off("ready", onReady);
          resolve(false);
        }, timeoutMs);
        const onReady = () => {
          clearTimeout(timer);
          resolve(true);
        };
        redis.once("ready", onReady);
      });
    },
    async close() {
      redis.disconnect();
    },
  };
}
