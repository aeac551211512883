import type { Cache } from "../../core/ports/cache";
import type { Telemetry } from "../../core/ports/telemetry";

// The first segments of the keys in core/domain/cache-keys.ts; any other key counts as "other", so a
// key can never add a label value.
const KEYSPACES = new Set(["tenant", "session", "user", "role-permissions", "flags"]);

export function keyspaceOf(key: string): string {
  const end = key.indexOf(":");
  const first = end < 0 ? key : key.slice(0, end);
  return KEYSPACES.has(first) ? first : "other";
}

/** The cache the use cases see, counting every read as a hit or a miss (an unreachable cache misses). */
export function countedCache(cache: Cache, telemetry: Pick<Telemetry, "cacheLookup">): Cache {
  return {
    async get<T>(key: string) {
      const value = await cache.get<T>(key);
      telemetry.cacheLookup(keyspaceOf(key), value !== undefined);
      return value;
    },
    set: (key, value, ttlSeconds) => cache.set(key, value, ttlSeconds),
    add: (key, value, ttlSeconds) => cache.add(key, value, ttlSeconds),
    delete: (...keys) => cache.delete(...keys),
  };
}
