import type { PeekableCache } from "./counted-cache";

interface Entry {
  json: string;
  expiresAt: number;
}

/**
 * An in-process TTL cache for single-instance deployments. Values are stored as JSON, so readers get
 * the same shapes a Redis cache would give them (dates become strings) and never share references.
 * Bounded: past `maxEntries` the oldest entry is evicted.
 */
export function memoryCache({ maxEntries = 10_000, now = Date.now } = {}): PeekableCache {
  const entries = new Map<string, Entry>();

  function live(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  function set(key: string, value: unknown, ttlSeconds: number) {
    entries.delete(key);
    entries.set(key, { json: JSON.stringify(value), expiresAt: now() + ttlSeconds * 1000 });
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
  }

  function peek<T>(key: string): T | undefined {
    const entry = live(key);
    return entry ? (JSON.parse(entry.json) as T) : undefined;
  }

  return {
    peek,
    async get<T>(key: string) {
      return peek<T>(key);
    },
    async set(key, value, ttlSeconds) {
      set(key, value, ttlSeconds);
      return true;
    },
    async add(key, value, ttlSeconds) {
      if (live(key)) return false;
      set(key, value, ttlSeconds);
      return true;
    },
    async delete(...keys) {
      for (const key of keys) entries.delete(key);
      return true;
    },
  };
}
