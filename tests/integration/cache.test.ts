import { describe, expect, test } from "bun:test";
import Redis from "ioredis";
import { memoryCache } from "../../src/adapters/cache/memory-cache";
import { redisCache } from "../../src/adapters/cache/redis-cache";
import { openRedis } from "../../src/adapters/redis/redis-connection";
import type { Cache } from "../../src/core/ports/cache";
import { recordingLogger, silentLogger } from "../support/logger";
import { disposeAtExit, testKeyPrefix, testRedisUrl } from "../support/resources";

async function redisCacheForTest(): Promise<Cache | null> {
  const url = await testRedisUrl();
  if (!url) return null;
  const connection = openRedis({ url, keyPrefix: testKeyPrefix(), logger: silentLogger });
  disposeAtExit(connection.close);
  await waitForConnection(connection);
  return redisCache(connection);
}

/** Commands fail until the connection is ready (no offline queue). */
async function waitForConnection(connection: { ping(): Promise<void> }) {
  const deadline = Date.now() + 2_000;
  for (;;) {
    try {
      return await connection.ping();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await Bun.sleep(10);
    }
  }
}

const caches: [string, () => Promise<Cache | null>][] = [
  ["memory", async () => memoryCache()],
  ["redis", redisCacheForTest],
];

for (const [name, open] of caches) {
  describe(`${name} cache`, async () => {
    const cache = await open();
    const maybe = cache ? test : test.skip;
    const c = cache as Cache;
    const key = (k: string) => `${name}-${Bun.randomUUIDv7()}-${k}`;

    maybe("round-trips JSON values", async () => {
      const k = key("json");
      await c.set(k, { id: "a", n: 1, nested: { list: [true, null] } }, 60);
      expect(await c.get(k)).toEqual({ id: "a", n: 1, nested: { list: [true, null] } });
    });

    maybe("a missing key is undefined", async () => {
      expect(await c.get(key("missing"))).toBeUndefined();
    });

    maybe("delete removes several keys at once", async () => {
      const [a, b] = [key("a"), key("b")];
      await c.set(a, 1, 60);
      await c.set(b, 2, 60);
      await c.delete(a, b);
      expect(await c.get(a)).toBeUndefined();
      expect(await c.get(b)).toBeUndefined();
    });

    maybe("entries expire after their TTL", async () => {
      const k = key("ttl");
      await c.set(k, "v", 1);
      expect(await c.get(k)).toBe("v");
      await Bun.sleep(1_100);
      expect(await c.get(k)).toBeUndefined();
    });

    maybe("add stores only when the key is empty, and says whether it did", async () => {
      const k = key("add");
      expect(await c.add(k, "first", 60)).toBe(true);
      expect(await c.add(k, "second", 60)).toBe(false);
      expect(await c.get(k)).toBe("first");
    });
  });
}

describe("redis cache without Redis", () => {
  test("reads miss, writes are dropped, the outage is logged once, and ping fails", async () => {
    const logger = recordingLogger();
    // Port 1 on loopback: nothing listens there, so every command fails fast.
    const connection = openRedis({ url: "redis://127.0.0.1:1", keyPrefix: "down:", logger });
    const cache = redisCache(connection);
    try {
      await cache.set("k", "v", 60);
      expect(await cache.get("k")).toBeUndefined();
      expect(await cache.add("k", "v", 60)).toBe(false);
      await cache.delete("k");
      expect(await cache.get("k")).toBeUndefined();
      await expect(connection.ping()).rejects.toThrow();
      expect(logger.lines.filter((l) => l.event === "redis.unavailable")).toHaveLength(1);
    } finally {
      await connection.close();
    }
  });
});

describe("redis cache with a Redis that stops answering", () => {
  const url = process.env.TEST_REDIS_URL;
  (url ? test : test.skip)("a read gives up within the command timeout and counts as a miss", async () => {
    const logger = recordingLogger();
    const connection = openRedis({ url: url!, keyPrefix: testKeyPrefix(), logger });
    const cache = redisCache(connection);
    const admin = new Redis(url!);
    try {
      await waitForConnection(connection);
      await cache.set("k", "v", 60);
      await admin.call("CLIENT", "PAUSE", "1500", "ALL");
      const started = performance.now();
      expect(await cache.get("k")).toBeUndefined();
      expect(performance.now() - started).toBeLessThan(1_400);
      expect(logger.lines.map((l) => l.event)).toContain("redis.unavailable");
    } finally {
      await admin.call("CLIENT", "UNPAUSE").catch(() => {});
      admin.disconnect();
      await connection.close();
    }
  });
});
