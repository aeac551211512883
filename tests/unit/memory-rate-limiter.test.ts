import { describe, expect, test } from "bun:test";
import { memoryRateLimiter } from "../../src/adapters/rate-limit/memory-rate-limiter";

// A realistic epoch, so floating-point error on large millisecond values is exercised too.
const start = 1_700_000_000_000;

function clock() {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const threePer3s = { limit: 3, windowSeconds: 3 };

describe("memoryRateLimiter", () => {
  test("allows a burst up to the limit, counting remaining down", async () => {
    const { now } = clock();
    const limiter = memoryRateLimiter({ now });
    const decisions = [];
    for (let i = 0; i < 3; i++) decisions.push(await limiter.hit("k", threePer3s));
    expect(decisions).toEqual([
      { allowed: true, limit: 3, remaining: 2, resetSeconds: 1, retryAfterSeconds: 0 },
      { allowed: true, limit: 3, remaining: 1, resetSeconds: 2, retryAfterSeconds: 0 },
      { allowed: true, limit: 3, remaining: 0, resetSeconds: 3, retryAfterSeconds: 0 },
    ]);
  });

  test("refuses past the limit with when to retry and when it is fully replenished", async () => {
    const { now, advance } = clock();
    const limiter = memoryRateLimiter({ now });
    for (let i = 0; i < 3; i++) await limiter.hit("k", threePer3s);
    advance(200);
    expect(await limiter.hit("k", threePer3s)).toEqual({
      allowed: false,
      limit: 3,
      remaining: 0,
      resetSeconds: 3,
      retryAfterSeconds: 1,
    });
  });

  test("retry-after is at least one second even when the next slot is a moment away", async () => {
    const { now, advance } = clock();
    const limiter = memoryRateLimiter({ now });
    for (let i = 0; i < 3; i++) await limiter.hit("k", threePer3s);
    advance(999);
    expect((await limiter.hit("k", threePer3s)).retryAfterSeconds).toBe(1);
  });

  test("retry-after rounds up to the next allowed request", async () => {
    const { now } = clock();
    const limiter = memoryRateLimiter({ now });
    const rule = { limit: 2, windowSeconds: 10 };
    await limiter.hit("k", rule);
    await limiter.hit("k", rule);
    expect(await limiter.hit("k", rule)).toMatchObject({
      allowed: false,
      retryAfterSeconds: 5,
      resetSeconds: 10,
    });
  });

  test("refused requests do not push the next allowed one further away", async () => {
    const { now, advance } = clock();
    const limiter = memoryRateLimiter({ now });
    for (let i = 0; i < 3; i++) await limiter.hit("k", threePer3s);
    for (let i = 0; i < 10; i++) expect((await limiter.hit("k", threePer3s)).allowed).toBe(false);
    advance(1_000);
    expect(await limiter.hit("k", threePer3s)).toMatchObject({ allowed: true, remaining: 0 });
  });

  test("replenishes one request per window / limit", async () => {
    const { now, advance } = clock();
    const limiter = memoryRateLimiter({ now });
    const rule = { limit: 3, windowSeconds: 1 };
    for (let i = 0; i < 3; i++) await limiter.hit("k", rule);
    advance(300);
    expect((await limiter.hit("k", rule)).allowed).toBe(false);
    advance(34);
    expect(await limiter.hit("k", rule)).toMatchObject({ allowed: true, remaining: 0 });
    expect((await limiter.hit("k", rule)).allowed).toBe(false);
  });

  test("a full window after the last request the whole burst is available again", async () => {
    const { now, advance } = clock();
    const limiter = memoryRateLimiter({ now });
    for (let i = 0; i < 4; i++) await limiter.hit("k", threePer3s);
    advance(3_000);
    expect(await limiter.hit("k", threePer3s)).toEqual({
      allowed: true,
      limit: 3,
      remaining: 2,
      resetSeconds: 1,
      retryAfterSeconds: 0,
    });
  });

  test("keys are limited independently", async () => {
    const { now } = clock();
    const limiter = memoryRateLimiter({ now });
    const rule = { limit: 1, windowSeconds: 60 };
    expect((await limiter.hit("a", rule)).allowed).toBe(true);
    expect((await limiter.hit("a", rule)).allowed).toBe(false);
    expect((await limiter.hit("b", rule)).allowed).toBe(true);
  });

  test("past maxKeys the least recently hit key is forgotten", async () => {
    const { now } = clock();
    const limiter = memoryRateLimiter({ now, maxKeys: 2 });
    const rule = { limit: 1, windowSeconds: 60 };
    await limiter.hit("a", rule);
    await limiter.hit("b", rule);
    await limiter.hit("a", rule);
    await limiter.hit("c", rule);
    expect((await limiter.hit("a", rule)).allowed).toBe(false);
    expect((await limiter.hit("c", rule)).allowed).toBe(false);
    expect((await limiter.hit("b", rule)).allowed).toBe(true);
  });
});
