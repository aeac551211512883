import { describe, expect, test } from "bun:test";
import { memoryCache } from "../../src/adapters/cache/memory-cache";
import type { Cache } from "../../src/core/ports/cache";
import { makeCacheAside } from "../../src/core/usecases/cache/cache-aside";

interface State {
  version: number;
}

/** A load the test finishes when it chooses: the read it serves is held between its query and its fill. */
function heldLoad(value: State) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let started!: () => void;
  const startedLoading = new Promise<void>((resolve) => {
    started = resolve;
  });
  const load = async () => {
    started();
    await released;
    return value;
  };
  return { load, startedLoading, release };
}

describe("cache-aside", () => {
  test("a miss is loaded, filled, and then served from the cache", async () => {
    const cache = memoryCache();
    const entries = makeCacheAside({ cache, ttlSeconds: 60 });
    let loads = 0;
    const load = async () => ({ version: ++loads });
    expect(await entries.read<State>("k", load)).toEqual({ version: 1 });
    expect(await entries.read<State>("k", load)).toEqual({ version: 1 });
    expect(loads).toBe(1);
    expect(await cache.get("k")).toEqual({ version: 1 });
  });

  test("a stale fill from a read that began before a write never replaces what the write published", async () => {
    const cache = memoryCache();
    const entries = makeCacheAside({ cache, ttlSeconds: 60 });
    const stale = heldLoad({ version: 1 });
    const reading = entries.read<State>("k", stale.load);
    await stale.startedLoading;

    await entries.publish("k", { version: 2 });
    stale.release();

    expect(await reading).toEqual({ version: 1 });
    expect(await cache.get("k")).toEqual({ version: 2 });
    expect(await entries.read<State>("k", async () => ({ version: 0 }))).toEqual({ version: 2 });
  });

  test("a publication after a fill replaces the filled state", async () => {
    const cache = memoryCache();
    const entries = makeCacheAside({ cache, ttlSeconds: 60 });
    await entries.read<State>("k", async () => ({ version: 1 }));
    await entries.publish("k", { version: 2 });
    expect(await cache.get("k")).toEqual({ version: 2 });
  });

  test("a publication the cache refuses deletes the old state, so the next read loads the source", async () => {
    const inner = memoryCache();
    await inner.set("k", { version: 1 }, 60);
    const refusingWrites: Cache = { ...inner, set: async () => false };
    const entries = makeCacheAside({ cache: refusingWrites, ttlSeconds: 60 });
    await entries.publish("k", { version: 2 });
    expect(await inner.get("k")).toBeUndefined();
    expect(await entries.read<State>("k", async () => ({ version: 2 }))).toEqual({ version: 2 });
  });

  test("publishing a state that is gone deletes the key", async () => {
    const cache = memoryCache();
    await cache.set("k", { version: 1 }, 60);
    await makeCacheAside({ cache, ttlSeconds: 60 }).publish("k", null);
    expect(await cache.get("k")).toBeUndefined();
  });

  test("nothing is filled when the source has nothing", async () => {
    const cache = memoryCache();
    const entries = makeCacheAside({ cache, ttlSeconds: 60 });
    expect(await entries.read<State | null>("k", async () => null)).toBeNull();
    expect(await cache.get("k")).toBeUndefined();
  });

  test("a loaded value is filled under every key it names, and each is only added", async () => {
    const cache = memoryCache();
    await cache.set("by-id", { version: 2 }, 60);
    const entries = makeCacheAside({ cache, ttlSeconds: 60 });
    await entries.read<State>("by-slug", async () => ({ version: 1 }), {
      keysOf: () => ["by-slug", "by-id"],
    });
    expect(await cache.get("by-slug")).toEqual({ version: 1 });
    expect(await cache.get("by-id")).toEqual({ version: 2 });
  });

  test("a hit goes through fromCache, which may refuse it without loading", async () => {
    const cache = memoryCache();
    await cache.set("k", { version: 1 }, 60);
    const entries = makeCacheAside({ cache, ttlSeconds: 60 });
    let loaded = false;
    const load = async () => {
      loaded = true;
      return { version: 9 };
    };
    const refused = await entries.read<State | null, State>("k", load, { fromCache: () => null });
    expect(refused).toBeNull();
    expect(loaded).toBe(false);
  });
});
