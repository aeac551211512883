import { afterEach, describe, expect, test } from "bun:test";
import Redis from "ioredis";
import { memoryLoginLockout } from "../../src/adapters/rate-limit/memory-login-lockout";
import { memoryRateLimiter } from "../../src/adapters/rate-limit/memory-rate-limiter";
import { redisLoginLockout } from "../../src/adapters/rate-limit/redis-login-lockout";
import { redisRateLimiter } from "../../src/adapters/rate-limit/redis-rate-limiter";
import { openRedis } from "../../src/adapters/redis/redis-connection";
import type { LockoutPolicy, LoginLockout } from "../../src/core/ports/login-lockout";
import type { RateLimiter } from "../../src/core/ports/rate-limiter";
import { recordingLogger, silentLogger } from "../support/logger";
import { deleteRedisPrefixes } from "../support/redis-keys";

const url = process.env.TEST_REDIS_URL;
const withRedis = url ? test : test.skip;
// Port 1 on loopback: nothing listens there, so every command fails fast.
const unreachable = "redis://127.0.0.1:1";

const closers: (() => Promise<void>)[] = [];
const prefixes: string[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await deleteRedisPrefixes(url, prefixes.splice(0));
});

function freshPrefix() {
  const prefix = `test:rate-limit:${Bun.randomUUIDv7()}:`;
  prefixes.push(prefix);
  return prefix;
}

/** Commands fail until the connection is ready, so tests wait for it before they count on Redis. */
async function connected(target: { ping(): Promise<unknown> }) {
  const deadline = Date.now() + 2_000;
  for (;;) {
    try {
      return await target.ping();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await Bun.sleep(10);
    }
  }
}

async function admin<T>(run: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url!);
  try {
    return await run(redis);
  } finally {
    redis.disconnect();
  }
}

/** A memory fallback that counts how often it was asked, to prove Redis answered. */
function countingFallback() {
  const memory = memoryRateLimiter();
  const fallback = {
    calls: 0,
    hit: (key: string, rule: Parameters<RateLimiter["hit"]>[1]) => {
      fallback.calls++;
      return memory.hit(key, rule);
    },
    reset: (key: string) => memory.reset(key),
  };
  return fallback;
}

async function limiterOnRedis(keyPrefix: string, fallback: RateLimiter = countingFallback()) {
  const connection = openRedis({ url: url!, keyPrefix, logger: silentLogger });
  closers.push(connection.close);
  await connected(connection);
  return redisRateLimiter(connection, fallback);
}

async function lockoutOnRedis(policy: LockoutPolicy, keyPrefix: string, fallback?: LoginLockout) {
  const connection = openRedis({ url: url!, keyPrefix, logger: silentLogger });
  closers.push(connection.close);
  await connected(connection);
  return redisLoginLockout(connection, policy, fallback ?? memoryLoginLockout(policy));
}

async function failures(lockout: LoginLockout, key: string, times: number) {
  const locks = [];
  for (let i = 0; i < times; i++) locks.push(await lockout.recordFailure(key));
  return locks;
}

describe("redis rate limiter", () => {
  withRedis("allows a burst up to the limit, then refuses with when to retry", async () => {
    const fallback = countingFallback();
    const limiter = await limiterOnRedis(freshPrefix(), fallback);
    const rule = { limit: 3, windowSeconds: 2 };
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await limiter.hit("k", rule));
    expect(decisions).toEqual([
      { allowed: true, limit: 3, remaining: 2, resetSeconds: 1, retryAfterSeconds: 0 },
      { allowed: true, limit: 3, remaining: 1, resetSeconds: 2, retryAfterSeconds: 0 },
      { allowed: true, limit: 3, remaining: 0, resetSeconds: 2, retryAfterSeconds: 0 },
      { allowed: false, limit: 3, remaining: 0, resetSeconds: 2, retryAfterSeconds: 1 },
    ]);
    expect(fallback.calls).toBe(0);
  });

  withRedis("replenishes one request per window / limit", async () => {
    const limiter = await limiterOnRedis(freshPrefix());
    const rule = { limit: 2, windowSeconds: 1 };
    await limiter.hit("k", rule);
    await limiter.hit("k", rule);
    expect((await limiter.hit("k", rule)).allowed).toBe(false);
    await Bun.sleep(550);
    expect(await limiter.hit("k", rule)).toMatchObject({ allowed: true, remaining: 0 });
    expect((await limiter.hit("k", rule)).allowed).toBe(false);
  });

  withRedis("keys are limited independently", async () => {
    const limiter = await limiterOnRedis(freshPrefix());
    const rule = { limit: 1, windowSeconds: 60 };
    expect((await limiter.hit("a", rule)).allowed).toBe(true);
    expect((await limiter.hit("a", rule)).allowed).toBe(false);
    expect((await limiter.hit("b", rule)).allowed).toBe(true);
  });

  withRedis("a key expires once its limit is fully replenished", async () => {
    const prefix = freshPrefix();
    const limiter = await limiterOnRedis(prefix);
    await limiter.hit("k", { limit: 2, windowSeconds: 60 });
    const ttl = await admin((redis) => redis.pttl(`${prefix}rate:k`));
    expect(ttl).toBeGreaterThan(25_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });

  withRedis("two instances on one Redis count together", async () => {
    const prefix = freshPrefix();
    const [fallbackA, fallbackB] = [countingFallback(), countingFallback()];
    const a = await limiterOnRedis(prefix, fallbackA);
    const b = await limiterOnRedis(prefix, fallbackB);
    const rule = { limit: 4, windowSeconds: 60 };
    const allowed = [];
    for (const limiter of [a, b, a, b, a, b]) allowed.push((await limiter.hit("k", rule)).allowed);
    expect(allowed).toEqual([true, true, true, true, false, false]);
    expect(fallbackA.calls + fallbackB.calls).toBe(0);
  });

  test("without Redis it falls back to the memory limiter, still limits, and logs once", async () => {
    const logger = recordingLogger();
    const connection = openRedis({ url: unreachable, keyPrefix: "down:", logger });
    closers.push(connection.close);
    const limiter = redisRateLimiter(connection, memoryRateLimiter());
    const rule = { limit: 2, windowSeconds: 60 };
    const decisions = [];
    for (let i = 0; i < 3; i++) decisions.push(await limiter.hit("k", rule));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, false]);
    expect(decisions[2]!.retryAfterSeconds).toBe(30);
    expect(logger.lines.filter((l) => l.event === "redis.unavailable")).toHaveLength(1);
  });

  withRedis("an outage is logged once, and a new one after Redis is back", async () => {
    const logger = recordingLogger();
    const guarded = openRedis({ url: url!, keyPrefix: freshPrefix(), logger });
    closers.push(() => guarded.close());
    await connected(guarded.redis);
    const answer = () =>
      guarded.guarded(
        "ping",
        () => guarded.redis.ping(),
        async () => "fallback",
      );
    const ended = new Promise((resolve) => guarded.redis.once("end", resolve));
    guarded.redis.disconnect();
    expect([await answer(), await answer()]).toEqual(["fallback", "fallback"]);
    await ended;
    await guarded.redis.connect();
    expect(await logger.waitFor((l) => l.event === "redis.recovered")).toBeDefined();
    expect(await answer()).toBe("PONG");
    guarded.redis.disconnect();
    expect(await answer()).toBe("fallback");
    expect(logger.lines.map((l) => l.event)).toEqual([
      "redis.unavailable",
      "redis.recovered",
      "redis.unavailable",
    ]);
  });
});

describe("redis login lockout", () => {
  const policy = { threshold: 2, baseSeconds: 1, maxSeconds: 4, windowSeconds: 2 };

  withRedis("locks from the threshold on, doubling up to maxSeconds", async () => {
    const lockout = await lockoutOnRedis(policy, freshPrefix());
    expect(await failures(lockout, "k", 5)).toEqual([0, 1, 2, 4, 4]);
    expect(await lockout.lockedFor("k")).toBe(4);
  });

  withRedis("a lock ends after its duration", async () => {
    const lockout = await lockoutOnRedis({ ...policy, threshold: 1 }, freshPrefix());
    expect(await lockout.recordFailure("k")).toBe(1);
    expect(await lockout.lockedFor("k")).toBe(1);
    await Bun.sleep(1_050);
    expect(await lockout.lockedFor("k")).toBe(0);
  });

  withRedis("failures older than the window are forgotten, key and all", async () => {
    const prefix = freshPrefix();
    const lockout = await lockoutOnRedis({ ...policy, windowSeconds: 1 }, prefix);
    expect(await lockout.recordFailure("k")).toBe(0);
    await Bun.sleep(1_050);
    expect(await admin((redis) => redis.exists(`${prefix}lockout:k`))).toBe(0);
    expect(await lockout.recordFailure("k")).toBe(0);
  });

  withRedis("the key lives as long as its lock when that outlasts the window", async () => {
    const prefix = freshPrefix();
    const lockout = await lockoutOnRedis({ ...policy, baseSeconds: 30, maxSeconds: 30 }, prefix);
    await failures(lockout, "k", 2);
    const ttl = await admin((redis) => redis.pttl(`${prefix}lockout:k`));
    expect(ttl).toBeGreaterThan(25_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });

  withRedis("clear forgets the failures and lifts the lock", async () => {
    const lockout = await lockoutOnRedis(policy, freshPrefix());
    await failures(lockout, "k", 3);
    await lockout.clear("k");
    expect(await lockout.lockedFor("k")).toBe(0);
    expect(await failures(lockout, "k", 2)).toEqual([0, 1]);
  });

  withRedis("keys are counted independently", async () => {
    const lockout = await lockoutOnRedis(policy, freshPrefix());
    await failures(lockout, "a", 2);
    expect(await lockout.lockedFor("b")).toBe(0);
    expect(await lockout.recordFailure("b")).toBe(0);
  });

  withRedis("two instances on one Redis count together", async () => {
    const prefix = freshPrefix();
    const a = await lockoutOnRedis(policy, prefix);
    const b = await lockoutOnRedis(policy, prefix);
    expect(await a.recordFailure("k")).toBe(0);
    expect(await b.recordFailure("k")).toBe(1);
    expect(await a.lockedFor("k")).toBe(1);
  });

  test("without Redis it falls back to the memory lockout, still locks, and logs once", async () => {
    const logger = recordingLogger();
    const connection = openRedis({ url: unreachable, keyPrefix: "down:", logger });
    closers.push(connection.close);
    const lockout = redisLoginLockout(connection, policy, memoryLoginLockout(policy));
    expect(await failures(lockout, "k", 3)).toEqual([0, 1, 2]);
    expect(await lockout.lockedFor("k")).toBe(2);
    await lockout.clear("k");
    expect(await lockout.lockedFor("k")).toBe(0);
    expect(logger.lines.filter((l) => l.event === "redis.unavailable")).toHaveLength(1);
  });
});
