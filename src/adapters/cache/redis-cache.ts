import type { Cache } from "../../core/ports/cache";
import type { RedisConnection } from "../redis/redis-connection";

const NAMESPACE = "cache:";

/** The cache on the shared Redis connection. While Redis is away reads miss and writes are dropped. */
export function redisCache({ redis, guarded }: RedisConnection): Cache {
  const ttl = (seconds: number) => Math.max(1, Math.ceil(seconds));
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
        async () => false,
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
        async () => false,
      );
    },
  };
}
