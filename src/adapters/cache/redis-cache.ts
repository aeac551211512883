import Redis from "ioredis";
import type { Cache } from "../../core/ports/cache";
import type { Logger } from "../../core/ports/logger";

export interface RedisCacheOptions {
  url: string;
  keyPrefix: string;
  logger: Logger;
}

/**
 * Redis through ioredis. Commands fail fast while Redis is away (no offline queue, one retry) or
 * stalled (command timeout), and the failure is swallowed and logged once per outage: the app then
 * answers from the database.
 */
export function redisCache({ url, keyPrefix, logger }: RedisCacheOptions): Cache {
  const redis = new Redis(url, {
    keyPrefix,
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    // A Redis that is connected but does not answer must not hold requests: give up, use the database.
    commandTimeout: 500,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let degraded = false;
  redis.on("error", () => {});
  redis.on("ready", () => {
    if (degraded) logger.info("cache.recovered", {});
    degraded = false;
  });

  async function guarded<T>(operation: string, fallback: T, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (!degraded) logger.warn("cache.unavailable", { operation, error: (error as Error).message });
      degraded = true;
      return fallback;
    }
  }

  return {
    get<T>(key: string) {
      return guarded("get", undefined, async () => {
        const json = await redis.get(key);
        return json === null ? undefined : (JSON.parse(json) as T);
      });
    },
    set(key, value, ttlSeconds) {
      return guarded("set", undefined, async () => {
        await redis.set(key, JSON.stringify(value), "EX", Math.max(1, Math.ceil(ttlSeconds)));
      });
    },
    add(key, value, ttlSeconds) {
      return guarded("add", undefined, async () => {
        await redis.set(key, JSON.stringify(value), "EX", Math.max(1, Math.ceil(ttlSeconds)), "NX");
      });
    },
    delete(...keys) {
      if (keys.length === 0) return Promise.resolve();
      return guarded("delete", undefined, async () => {
        await redis.del(...keys);
      });
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      redis.disconnect();
    },
  };
}
