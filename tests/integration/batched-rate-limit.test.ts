import { afterEach, describe, expect, test } from "bun:test";
import Redis from "ioredis";
import {
  type BatchedRateLimiterOptions,
  batchedRateLimiter,
  defaultMaxUnreported,
} from "../../src/adapters/rate-limit/batched-rate-limiter";
import { openRedis } from "../../src/adapters/redis/redis-connection";
import type { RateLimiter, RateLimitRule } from "../../src/core/ports/rate-limiter";
import { recordingLogger, silentLogger } from "../support/logger";
import { deleteRedisPrefixes } from "../support/redis-keys";

const url = process.env.TEST_REDIS_URL;
const withRedis = url ? test : test.skip;

const closers: (() => Promise<void>)[] = [];
const prefixes: string[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await deleteRedisPrefixes(url, prefixes.splice(0));
});

function freshPrefix() {
  const prefix = `test:batched-rate-limit:${Bun.randomUUIDv7()}:`;
  prefixes.push(prefix);
  return prefix;
}

async function instance(prefix: string, options: BatchedRateLimiterOptions = {}) {
  const connection = openRedis({ url: url!, keyPrefix: prefix, logger: silentLogger });
  closers.push(connection.close);
  await connection.ready(2_000);
  return batchedRateLimiter(connection, options);
}

/** How many of `count` concurrent requests the limiter admits. */
async function burst(limiter: RateLimiter, key: string, rule: RateLimitRule, count: number) {
  const decisions = await Promise.all(Array.from({ length: count }, () => limiter.hit(key, rule)));
  return decisions.filter((decision) => decision.allowed).length;
}

/** Reports are sent in the background: long enough for the last one to land. */
const settle = () => Bun.sleep(100);

async function sharedTatAheadMs(prefix: string, key: string): Promise<number> {
  const redis = new Redis(url!);
  try {
    const [stored, [seconds, micros]] = await Promise.all([
      redis.get(`${prefix}rate:${key}`),
      redis.time() as Promise<[number, number]>,
    ]);
    return Number(stored) - (Number(seconds) * 1000 + Number(micros) / 1000);
  } finally {
    redis.disconnect();
  }
}

describe("batched rate limiter", () => {
  test("the default tolerance is 1% of the limit, at least one request", () => {
    expect(defaultMaxUnreported({ limit: 600, windowSeconds: 60 })).toBe(6);
    expect(defaultMaxUnreported({ limit: 3, windowSeconds: 60 })).toBe(1);
  });

  withRedis(
    "a burst above the limit from one key is refused past the limit, exactly, on one instance",
    async () => {
      const limiter = await instance(freshPrefix());
      // An hour's window: no request is replenished while the burst runs.
      const rule = { limit: 600, windowSeconds: 3_600 };
      expect(await burst(limiter, "attacker", rule, 700)).toBe(600);
      expect((await limiter.hit("attacker", rule)).allowed).toBe(false);
    },
  );

  withRedis(
    "every admitted request reaches the shared count, so a fresh instance sees the key as spent",
    async () => {
      const prefix = freshPrefix();
      const rule = { limit: 100, windowSeconds: 3_600 };
      const first = await instance(prefix);
      expect(await burst(first, "k", rule, 100)).toBe(100);
      await settle();
      // 100 requests at 36 s each: the TAT lies a whole window ahead.
      expect(await sharedTatAheadMs(prefix, "k")).toBeGreaterThan(3_590_000);
      const second = await instance(prefix);
      const decisions = [];
      for (let i = 0; i < 5; i++) decisions.push(await second.hit("k", rule));
      await settle();
      // A new instance admits at most twice its tolerance (1 here) before it learns the key is spent.
      expect(decisions.filter((d) => d.allowed).length).toBeLessThanOrEqual(2);
      expect((await second.hit("k", rule)).allowed).toBe(false);
    },
  );

  withRedis(
    "instances that share a key admit at most the limit plus their stated tolerance together",
    async () => {
      const prefix = freshPrefix();
      const rule = { limit: 1_000, windowSeconds: 3_600 };
      const tolerance = defaultMaxUnreported(rule); // 10
      const instances = await Promise.all([instance(prefix), instance(prefix), instance(prefix)]);
      let admitted = 0;
      // Interleaved waves, as a load balancer would spread one client's requests.
      for (let wave = 0; wave < 40; wave++) {
        for (const limiter of instances) admitted += await burst(limiter, "shared", rule, 10);
        await Bun.sleep(1);
      }
      expect(admitted).toBeGreaterThanOrEqual(rule.limit);
      expect(admitted).toBeLessThanOrEqual(rule.limit + 2 * instances.length * tolerance);
      await settle();
      for (const limiter of instances) expect((await limiter.hit("shared", rule)).allowed).toBe(false);
    },
  );

  withRedis("a busy key costs one round trip per batch, not per request", async () => {
    const prefix = freshPrefix();
    const rule = { limit: 100_000, windowSeconds: 60 }; // batches of 1,000, 0.6 ms a request
    const limiter = await instance(prefix, { reportEveryMs: 20 });
    const stats = new Redis(url!);
    closers.push(async () => stats.disconnect());
    const calls = async () => {
      const info = await stats.info("commandstats");
      return Number(info.match(/cmdstat_evalsha:calls=(\d+)/)?.[1] ?? 0);
    };
    const before = await calls();
    const start = Date.now();
    for (let i = 0; i < 5_000; i++) await limiter.hit("busy", rule);
    await settle();
    // Other tests may run scripts on the same server meanwhile: bounded well below one per request.
    expect((await calls()) - before).toBeLessThan(50);
    // All 5,000 reported: 3 s of requests, less the time that passed since the first.
    expect(await sharedTatAheadMs(prefix, "busy")).toBeGreaterThan(3_000 - (Date.now() - start) - 20);
  });

  test("without Redis each instance decides alone and still limits, and logs the outage once", async () => {
    const logger = recordingLogger();
    const connection = openRedis({ url: "redis://127.0.0.1:1", keyPrefix: "down:", logger });
    closers.push(connection.close);
    const limiter = batchedRateLimiter(connection);
    const rule = { limit: 5, windowSeconds: 60 };
    const decisions = [];
    for (let i = 0; i < 7; i++) decisions.push(await limiter.hit("k", rule));
    await settle();
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false, false]);
    expect(decisions[5]!.retryAfterSeconds).toBe(12);
    expect(logger.lines.filter((l) => l.event === "redis.unavailable")).toHaveLength(1);
  });
});
