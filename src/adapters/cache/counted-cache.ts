import type { Cache } from "../../core/ports/cache";
import type { Telemetry } from "../../core/ports/telemetry";

// The first segments of the keys in core/domain/cache-keys.ts; any other key counts as "other", so a
// key can never add a label value.
const KEYSPACES = ["tenant", "session", "user", "role-permissions", "flags"];
const COLON = 58;

/** Compared in place: slicing the first segment out of every key read cost more than the lookup. */
export function keyspaceOf(key: string): string {
  for (const keyspace of KEYSPACES) {
    if (!key.startsWith(keyspace)) continue;
    if (key.length === keyspace.length || key.charCodeAt(keyspace.length) === COLON) return keyspace;
  }
  return "other";
}

/** A cache that can answer some reads from this process without waiting for anything. */
export interface PeekableCache extends Cache {
  /** The value `get` would give now, when this process holds it; undefined: ask `get`. */
  peek<T>(key: string): T | undefined;
}

/**
 * The cache the use cases see, counting every read as a hit or a miss (an unreachable cache misses).
 * A read the cache answers from this process is counted and handed back without an async hop.
 */
export function countedCache(cache: Cache, telemetry: Pick<Telemetry, "cacheLookup">): Cache {
  const peek = "peek" in cache ? (cache as PeekableCache).peek : undefined;
  return {
    get<T>(key: string) {
      const keyspace = keyspaceOf(key);
      const held = peek?.<T>(key);
      if (held !== undefined) {
        telemetry.cacheLookup(keyspace, true);
        return Promise.resolve(held);
      }
      return cache.get<T>(key).then((value) => {
        telemetry.cacheLookup(keyspace, value !== undefined);
        return value;
      });
    },
    set: (key, value, ttlSeconds) => cache.set(key, value, ttlSeconds),
    add: (key, value, ttlSeconds) => cache.add(key, value, ttlSeconds),
    delete: (...keys) => cache.delete(...keys),
  };
}
