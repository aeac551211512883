import { describe, expect, test } from "bun:test";
import { memoryLoginLockout } from "../../src/adapters/rate-limit/memory-login-lockout";

const policy = { threshold: 3, baseSeconds: 10, maxSeconds: 60, windowSeconds: 600 };

function setup(options: { maxKeys?: number } = {}) {
  let now = 1_700_000_000_000;
  const lockout = memoryLoginLockout(policy, { now: () => now, ...options });
  const fail = async (key: string, times: number) => {
    const locks = [];
    for (let i = 0; i < times; i++) locks.push(await lockout.recordFailure(key));
    return locks;
  };
  return {
    lockout,
    fail,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("memoryLoginLockout", () => {
  test("failures below the threshold do not lock", async () => {
    const { lockout, fail } = setup();
    expect(await fail("k", 2)).toEqual([0, 0]);
    expect(await lockout.lockedFor("k")).toBe(0);
  });

  test("the failure that reaches the threshold locks for the base duration", async () => {
    const { lockout, fail } = setup();
    expect(await fail("k", 3)).toEqual([0, 0, 10]);
    expect(await lockout.lockedFor("k")).toBe(10);
  });

  test("the lock counts down and ends", async () => {
    const { lockout, fail, advance } = setup();
    await fail("k", 3);
    advance(4_500);
    expect(await lockout.lockedFor("k")).toBe(6);
    advance(5_500);
    expect(await lockout.lockedFor("k")).toBe(0);
  });

  test("each further failure doubles the lock, up to maxSeconds", async () => {
    const { fail } = setup();
    expect(await fail("k", 7)).toEqual([0, 0, 10, 20, 40, 60, 60]);
  });

  test("a further failure locks from that failure", async () => {
    const { lockout, fail, advance } = setup();
    await fail("k", 3);
    advance(10_000);
    expect(await lockout.recordFailure("k")).toBe(20);
    advance(1_000);
    expect(await lockout.lockedFor("k")).toBe(19);
  });

  test("failures older than the window are forgotten", async () => {
    const { lockout, fail, advance } = setup();
    await fail("k", 2);
    advance(600_000);
    expect(await fail("k", 2)).toEqual([0, 0]);
    expect(await lockout.lockedFor("k")).toBe(0);
  });

  test("each failure extends the window", async () => {
    const { fail, advance } = setup();
    await fail("k", 1);
    advance(500_000);
    await fail("k", 1);
    advance(500_000);
    expect(await fail("k", 1)).toEqual([10]);
  });

  test("after a long quiet spell the lock starts again from the base duration", async () => {
    const { fail, advance } = setup();
    await fail("k", 6);
    advance(600_000);
    expect(await fail("k", 3)).toEqual([0, 0, 10]);
  });

  test("clear forgets the failures and lifts the lock", async () => {
    const { lockout, fail } = setup();
    await fail("k", 4);
    await lockout.clear("k");
    expect(await lockout.lockedFor("k")).toBe(0);
    expect(await fail("k", 3)).toEqual([0, 0, 10]);
  });

  test("keys are counted independently", async () => {
    const { lockout, fail } = setup();
    await fail("a", 3);
    expect(await lockout.lockedFor("b")).toBe(0);
    expect(await fail("b", 1)).toEqual([0]);
  });

  test("past maxKeys the least recently failed key is forgotten", async () => {
    const { lockout, fail } = setup({ maxKeys: 2 });
    await fail("a", 3);
    await fail("b", 3);
    await fail("c", 3);
    expect(await lockout.lockedFor("a")).toBe(0);
    expect(await lockout.lockedFor("b")).toBe(10);
    expect(await lockout.lockedFor("c")).toBe(10);
  });
});
