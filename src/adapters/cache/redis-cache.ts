import type { Cache } from "../../core/ports/cache";
import type { Logger } from "../../core/ports/logger";
import type { RedisConnection } from "../redis/redis-connection";

const NAMESPACE = "cache:";

/** Near caches (see near-cache.ts) forget everything on this message. */
export const FORGET_ALL = "*";

/**
 * The cache on the shared Redis connection. While Redis is away reads miss and writes are dropped.
 * A dropped write may leave a stale entry behind (a revoked session still cached as live), so when
 * Redis is back after writes were dropped, every entry of the cache is deleted and the database
 * decides again; `invalidationChannel`, when given, tells the near caches of every instance.
 */
export function redisCache(
  { redis, guarded }: RedisConnection,
  { invalidationChannel, logger }: { invalidationChannel?: string; logger?: Logger } = {},
): Cache {
  const ttl = (seconds: number) => Math.max(1, Math.ceil(seconds));
  let writesDropped = false;

  async function flush() {
    writesDropped = false;
    const prefix = redis.options.keyPrefix ?? "";
    let cursor = "0";
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}${NAMESPACE}*`, "COUNT", 1000);
      cursor = next;
      // ioredis prefixes the keys it is given; SCAN returns them prefixed already.
      if (keys.length > 0) deleted += await redis.unlink(...keys.map((key) => key.slice(prefix.length)));
    } while (cursor !== "0");
    if (invalidationChannel) await redis.publish(invalidationChannel, `redis-cache\n${FORGET_ALL}`);
    logger?.warn("cache.flushed_after_outage", { deleted });
  }

  redis.on("ready", () => {
    if (writesDropped) flush().catch(() => (writesDropped = true));
  });
  const dropped = async () => {
    writesDropped = true;
    return false;
  };

  return {
    get<T>(key: string) {
      return guarded(
        "cache.get",
        async () => {
          const json = await redis.get(NAMESPACE + key);
          return json === null ? undefined : (JSON.parse(json) as T);
        },
        async () => undefined,
      );
    },
    set(key, value, ttlSeconds) {
      return guarded(
        "cache.set",
        async () => (await redis.set(NAMESPACE + key, JSON.stringify(value), "EX", ttl(ttlSeconds))) === "OK",
        dropped,
      );
    },
    add(key, value, ttlSeconds) {
      return guarded(
        "cache.add",
        async () =>
          (await redis.set(NAMESPACE + key, JSON.stringify(value), "EX", ttl(ttlSeconds), "NX")) === "OK",
        async () => false,
      );
    },
    delete(...keys) {
      if (keys.length === 0) return Promise.resolve(true);
      return guarded(
        "cache.delete",
        async () => {
          await redis.del(...keys.map((key) => NAMESPACE + key));
          return true;
        },
        dropped,
      );
    },
  };
}
