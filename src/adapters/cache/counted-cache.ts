import type { Cache } from "../../core/ports/cache";
import type { Telemetry } from "../../core/ports/telemetry";

// The first segments of the keys in core/domain/cache-keys.ts; any other key counts as "other", so a
// key can never add a label value. Each begins with its own letter: the first character picks the
// one keyspace a key can be in, and only that one is compared.
const KEYSPACES = ["tenant", "session", "user", "role-permissions", "flags"];
const COLON = 58;
const BY_FIRST_CHAR = new Map(KEYSPACES.map((keyspace) => [keyspace.charCodeAt(0), keyspace]));
if (BY_FIRST_CHAR.size !== KEYSPACES.length) throw new Error("keyspaces must begin with distinct letters");

/** Compared in place: slicing the first segment out of every key read cost more than the lookup. */
export function keyspaceOf(key: string): string {
  const keyspace = BY_FIRST_CHAR.get(key.charCodeAt(0));
  if (keyspace === undefined || !key.startsWith(keyspace)) return "other";
  return key.length === keyspace.length || key.charCodeAt(keyspace.length) === COLON ? keyspace : "other";
}

/** A cache that can answer some reads from this process without waiting for anything. */
export type PeekableCache = Cache & Required<Pick<Cache, "peek">>;

/**
 * The cache the use cases see, counting every read as a hit or a miss (an unreachable cache misses).
 * A read the cache answers from this process is counted and handed back without an async hop; with
 * `peek`, without a promise at all (a peek that finds nothing counts nothing: its `get` will).
 */
export function countedCache(cache: Cache, telemetry: Pick<Telemetry, "cacheLookup">): Cache {
  const inner = cache.peek ? (cache as PeekableCache) : undefined;
  const peek = inner
    ? <T>(key: string): T | undefined => {
        const held = inner.peek<T>(key);
        if (held !== undefined) telemetry.cacheLookup(keyspaceOf(key), true);
        return held;
      }
    : undefined;
  return {
    get<T>(key: string) {
      const held = inner?.peek<T>(key);
      if (held !== undefined) {
        telemetry.cacheLookup(keyspaceOf(key), true);
        return Promise.resolve(held);
      }
      return cache.get<T>(key).then((value) => {
        telemetry.cacheLookup(keyspaceOf(key), value !== undefined);
        return value;
      });
    },
    ...(peek ? { peek } : {}),
    set: (key, value, ttlSeconds) => cache.set(key, value, ttlSeconds),
    add: (key, value, ttlSeconds) => cache.add(key, value, ttlSeconds),
    delete: (...keys) => cache.delete(...keys),
  };
}
