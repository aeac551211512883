import type { Cache } from "../../ports/cache";

export interface CacheAsideDeps {
  cache: Cache;
  ttlSeconds: number;
}

export interface ReadOptions<T, C> {
  /** Every key a loaded value is filled under (default: the key it was read by). */
  keysOf?: (value: NonNullable<T>) => readonly string[];
  /** Turns a hit, as the cache stores it (JSON), into what the reader returns. */
  fromCache?: (cached: C) => T;
}

/**
 * The cache protocol for derived state. Readers fill a miss with `add`, which stores only when the
 * key holds nothing; writers, once their change has committed, `publish` the state they re-read with
 * `set`. So a fill computed from a read that began before a write can never replace what the write
 * published. A publication the cache refuses deletes the key instead, so the old state is not left
 * behind: without the key, the source of truth decides.
 */
export function makeCacheAside({ cache, ttlSeconds }: CacheAsideDeps) {
  async function readThrough<T, C>(
    key: string,
    load: () => Promise<T>,
    options: ReadOptions<T, C>,
  ): Promise<T> {
    const cached = await cache.get<C>(key);
    if (cached !== undefined) return options.fromCache ? options.fromCache(cached) : (cached as unknown as T);
    const loaded = await load();
    if (loaded === null || loaded === undefined) return loaded;
    for (const filled of options.keysOf?.(loaded) ?? [key]) await cache.add(filled, loaded, ttlSeconds);
    return loaded;
  }

  return {
    /**
     * The cached value, else the loaded one (null: nothing to cache), filled only where absent. A
     * value this process already holds (the cache's `peek`) is handed back without an async step.
     */
    read<T, C = T>(key: string, load: () => Promise<T>, options: ReadOptions<T, C> = {}): Promise<T> {
      const held = cache.peek?.<C>(key);
      if (held === undefined) return readThrough(key, load, options);
      try {
        return Promise.resolve(options.fromCache ? options.fromCache(held) : (held as unknown as T));
      } catch (error) {
        return Promise.reject(error);
      }
    },

    /** Call after the change commits, with the state as stored now (null when it is gone). */
    async publish(keys: string | readonly string[], value: unknown): Promise<void> {
      for (const key of typeof keys === "string" ? [keys] : keys) {
        const written = value !== null && (await cache.set(key, value, ttlSeconds));
        if (!written) await cache.delete(key);
      }
    },
  };
}

export type CacheAside = ReturnType<typeof makeCacheAside>;
