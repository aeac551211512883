import { describe, expect, test } from "bun:test";
import { nearCache } from "../../src/adapters/cache/near-cache";
import { redisCache } from "../../src/adapters/cache/redis-cache";
import { openRedis } from "../../src/adapters/redis/redis-connection";
import type { Cache } from "../../src/core/ports/cache";
import { recordingLogger } from "../support/logger";
import { disposeAtExit, testKeyPrefix, testRedisUrl } from "../support/resources";

const url = await testRedisUrl();
if (!url) console.info("near-cache tests skipped: no Redis (set TEST_REDIS_URL)");
const maybe = url ? test : test.skip;
const prefix = testKeyPrefix();

/** An instance's cache: its own Redis connections, a near cache in front, and a count of Redis reads. */
async function instance() {
  const logger = recordingLogger();
  const connection = openRedis({ url: url!, keyPrefix: prefix, logger });
  await connection.ready(2_000);
  const shared = redisCache(connection);
  let remoteReads = 0;
  const counted: Cache = {
    ...shared,
    get: (key) => {
      remoteReads++;
      return shared.get(key);
    },
  };
  const subscriber = connection.redis.duplicate();
  const cache = nearCache({
    remote: counted,
    publisher: connection.redis,
    subscriber,
    channel: `${prefix}invalidations`,
    logger,
  });
  disposeAtExit(async () => {
    await cache.close();
    await connection.close();
  });
  await until(() => subscriber.status === "ready");
  await Bun.sleep(50); // the subscription follows "ready"
  return { cache, subscriber, logger, remoteReads: () => remoteReads };
}

async function until(condition: () => boolean, timeoutMs = 3_000) {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await Bun.sleep(10);
  }
}

const key = (name: string) => `near-${Bun.randomUUIDv7()}-${name}`;

describe("near cache", () => {
  maybe("a warm read is served from memory, without Redis", async () => {
    const a = await instance();
    const k = key("warm");
    await a.cache.add(k, { v: 1 }, 60);
    expect(await a.cache.get(k)).toEqual({ v: 1 });
    const reads = a.remoteReads();
    for (let i = 0; i < 10; i++) expect(await a.cache.get(k)).toEqual({ v: 1 });
    expect(a.remoteReads()).toBe(reads);
  });

  maybe("a write on one instance reaches the other's next read", async () => {
    const a = await instance();
    const b = await instance();
    const k = key("shared");
    await a.cache.add(k, { v: 1 }, 60);
    expect(await b.cache.get(k)).toEqual({ v: 1 }); // b now holds a copy
    await a.cache.set(k, { v: 2 }, 60);
    await Bun.sleep(50); // the invalidation travels through Redis
    expect(await b.cache.get(k)).toEqual({ v: 2 });
  });

  maybe("a delete on one instance reaches the other", async () => {
    const a = await instance();
    const b = await instance();
    const k = key("gone");
    await a.cache.add(k, { v: 1 }, 60);
    expect(await b.cache.get(k)).toEqual({ v: 1 });
    await a.cache.delete(k);
    await Bun.sleep(50);
    expect(await b.cache.get(k)).toBeUndefined();
  });

  maybe("values handed out are frozen, so no caller can change another's copy", async () => {
    const a = await instance();
    const k = key("frozen");
    await a.cache.add(k, { list: [1] }, 60);
    await a.cache.get(k);
    const value = (await a.cache.get<{ list: number[] }>(k))!;
    expect(Object.isFrozen(value)).toBe(true);
    expect(Object.isFrozen(value.list)).toBe(true);
  });

  maybe("when the invalidation channel drops, every copy is forgotten and Redis is read again", async () => {
    const a = await instance();
    const k = key("dropped");
    await a.cache.add(k, { v: 1 }, 60);
    await a.cache.get(k);
    const reads = a.remoteReads();
    a.subscriber.disconnect(true); // drops, then reconnects by itself
    expect(await a.logger.waitFor((line) => line.event === "cache.near_copies_dropped")).toBeDefined();
    await a.cache.get(k);
    expect(a.remoteReads()).toBe(reads + 1);
    await until(() => a.subscriber.status === "ready");
    await Bun.sleep(50);
    await a.cache.get(k);
    const after = a.remoteReads();
    await a.cache.get(k);
    expect(a.remoteReads()).toBe(after); // serving from memory again
  });
});
