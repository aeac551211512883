/**
 * The audit tally, in memory and on Redis: the same rules, and on Redis, one count shared by every
 * instance that hands each minute out once.
 */
import { afterEach, describe, expect, test } from "bun:test";
import Redis from "ioredis";
import { openRedis } from "../../src/adapters/redis/redis-connection";
import { memoryAuditTally } from "../../src/adapters/tally/memory-audit-tally";
import { redisAuditTally } from "../../src/adapters/tally/redis-audit-tally";
import type { AuditTally, TallySample } from "../../src/core/ports/audit-tally";
import { silentLogger } from "../support/logger";
import { deleteRedisPrefixes } from "../support/redis-keys";

const url = process.env.TEST_REDIS_URL;
const closers: (() => Promise<void>)[] = [];
const prefixes: string[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await deleteRedisPrefixes(url, prefixes.splice(0));
});

async function onRedis(keyPrefix: string, redisUrl = url!): Promise<AuditTally> {
  const connection = openRedis({ url: redisUrl, keyPrefix, logger: silentLogger });
  closers.push(connection.close);
  if (redisUrl === url) await connection.ready(2_000);
  return redisAuditTally(connection, memoryAuditTally());
}

function freshPrefix() {
  const prefix = `test:audit-tally:${Bun.randomUUIDv7()}:`;
  prefixes.push(prefix);
  return prefix;
}

const MINUTE = 29_000_000; // some minute since the epoch
const at = (minute: number, second: number) => minute * 60_000 + second * 1000;
const sample = (requestId: string): TallySample => ({
  event: {
    tenantId: "t1",
    actor: { type: "user", id: "u1", display: null },
    action: "access.denied",
    resource: { type: "endpoint", id: "GET /api/v1/tenants" },
    outcome: "denied",
    metadata: { code: "FORBIDDEN" },
  },
  origin: { ip: "192.0.2.1", userAgent: "test", requestId },
});

/** Two handles on one tally, as two instances would have. */
const kinds: [string, (() => Promise<[AuditTally, AuditTally]>) | null][] = [
  [
    "memory",
    async () => {
      const tally = memoryAuditTally();
      return [tally, tally];
    },
  ],
  [
    "redis",
    url
      ? async () => {
          const prefix = freshPrefix();
          return [await onRedis(prefix), await onRedis(prefix)];
        }
      : null,
  ],
];

for (const [kind, open] of kinds) {
  const run = open ? test : test.skip;
  const instances = () => open!();

  describe(`${kind} audit tally`, () => {
    run("the first of a key's minute is for the caller to record; the rest are counted", async () => {
      const [tally] = await instances();
      expect(await tally.note("k", MINUTE, at(MINUTE, 1), sample("r1"))).toEqual({
        first: true,
        closed: null,
      });
      expect(await tally.note("k", MINUTE, at(MINUTE, 2), sample("r2"))).toEqual({
        first: false,
        closed: null,
      });
      expect(await tally.note("k", MINUTE, at(MINUTE, 3), sample("r3"))).toEqual({
        first: false,
        closed: null,
      });
    });

    run("the key's next minute hands the counted one back, once, from the first one counted", async () => {
      const [tally] = await instances();
      for (let second = 0; second < 10; second++) {
        await tally.note("k", MINUTE, at(MINUTE, second), sample(`r${second}`));
      }
      const next = await tally.note("k", MINUTE + 1, at(MINUTE + 1, 0), sample("next"));
      expect(next).toEqual({
        first: true,
        closed: {
          minute: MINUTE,
          count: 9,
          firstAt: at(MINUTE, 1),
          lastAt: at(MINUTE, 9),
          sample: sample("r1"),
        },
      });
      expect(await tally.take(MINUTE + 5, 100)).toEqual([]);
    });

    run("a minute with only its first occurrence leaves nothing to write", async () => {
      const [tally] = await instances();
      await tally.note("k", MINUTE, at(MINUTE, 1), sample("r1"));
      expect(await tally.note("k", MINUTE + 1, at(MINUTE + 1, 1), sample("r2"))).toEqual({
        first: true,
        closed: null,
      });
      expect(await tally.take(MINUTE + 5, 100)).toEqual([]);
    });

    run("keys are counted apart", async () => {
      const [tally] = await instances();
      for (const key of ["a", "b", "a", "b", "a"]) await tally.note(key, MINUTE, at(MINUTE, 1), sample(key));
      const taken = await tally.take(MINUTE + 1, 100);
      expect(taken.map((m) => [m.sample.origin.requestId, m.count]).sort()).toEqual([
        ["a", 2],
        ["b", 1],
      ]);
    });

    run(
      "take hands out only minutes that are over; all of them on shutdown, after which the minute counts on",
      async () => {
        const [tally] = await instances();
        await tally.note("old", MINUTE, at(MINUTE, 1), sample("o1"));
        await tally.note("old", MINUTE, at(MINUTE, 2), sample("o2"));
        await tally.note("open", MINUTE + 1, at(MINUTE + 1, 1), sample("n1"));
        await tally.note("open", MINUTE + 1, at(MINUTE + 1, 2), sample("n2"));

        expect((await tally.take(MINUTE + 1, 100)).map((m) => m.sample.origin.requestId)).toEqual(["o2"]);
        expect(await tally.take(MINUTE + 1, 100)).toEqual([]);
        expect(await tally.take(Number.MAX_SAFE_INTEGER, 100)).toEqual([
          {
            minute: MINUTE + 1,
            count: 1,
            firstAt: at(MINUTE + 1, 2),
            lastAt: at(MINUTE + 1, 2),
            sample: sample("n2"),
          },
        ]);
        // The open minute goes on counting: no second "first" in it.
        expect(await tally.note("open", MINUTE + 1, at(MINUTE + 1, 3), sample("n3"))).toEqual({
          first: false,
          closed: null,
        });
        expect(await tally.take(Number.MAX_SAFE_INTEGER, 100)).toMatchObject([
          { count: 1, sample: sample("n3") },
        ]);
      },
    );

    run("take honours its limit and leaves the rest for the next call", async () => {
      const [tally] = await instances();
      for (const key of ["a", "b", "c"]) {
        await tally.note(key, MINUTE, at(MINUTE, 1), sample(key));
        await tally.note(key, MINUTE, at(MINUTE, 2), sample(key));
      }
      expect(await tally.take(MINUTE + 1, 2)).toHaveLength(2);
      expect(await tally.take(MINUTE + 1, 2)).toHaveLength(1);
      expect(await tally.take(MINUTE + 1, 2)).toHaveLength(0);
    });

    run("a clock behind the minute already begun counts into it", async () => {
      const [a, b] = await instances();
      await a.note("k", MINUTE + 1, at(MINUTE + 1, 0), sample("ahead"));
      expect(await b.note("k", MINUTE, at(MINUTE, 59), sample("behind"))).toEqual({
        first: false,
        closed: null,
      });
      expect(await a.take(MINUTE + 2, 100)).toMatchObject([
        { minute: MINUTE + 1, count: 1, firstAt: at(MINUTE, 59), lastAt: at(MINUTE, 59) },
      ]);
    });

    run(
      "instances noting and taking at once: one first per minute, and each count handed out once",
      async () => {
        const [a, b] = await instances();
        const notes = await Promise.all(
          Array.from({ length: 200 }, (_, i) =>
            (i % 2 ? a : b).note("k", MINUTE, at(MINUTE, i % 60), sample(`r${i}`)),
          ),
        );
        expect(notes.filter((n) => n.first)).toHaveLength(1);
        const [fromA, fromB] = await Promise.all([a.take(MINUTE + 1, 100), b.take(MINUTE + 1, 100)]);
        expect([...fromA, ...fromB].map((m) => m.count)).toEqual([199]);
      },
    );
  });
}

describe("redis audit tally", () => {
  (url ? test : test.skip)(
    "stores a key by its hash, never as given, for a day after its last note",
    async () => {
      const prefix = freshPrefix();
      const tally = await onRedis(prefix);
      await tally.note("ann@example.com", MINUTE, at(MINUTE, 1), sample("r1"));
      await tally.note("ann@example.com", MINUTE, at(MINUTE, 2), sample("r2"));
      const admin = new Redis(url!);
      try {
        const keys = await admin.keys(`${prefix}*`);
        expect(keys.sort()).toEqual([
          expect.stringMatching(new RegExp(`^${prefix}audit-tally:[0-9a-f]{64}$`)),
          `${prefix}audit-tally:pending`,
        ]);
        const state = keys.find((key) => !key.endsWith("pending"))!;
        expect(await admin.ttl(state)).toBeGreaterThan(86_000);
        expect(await admin.ttl(state)).toBeLessThanOrEqual(86_400);
      } finally {
        admin.disconnect();
      }
    },
  );
});

describe("redis audit tally while Redis is away", () => {
  test("the fallback counts in this process and take hands its minutes out", async () => {
    // Port 1 on loopback: nothing listens there, so every command fails fast.
    const tally = await onRedis(freshPrefix(), "redis://127.0.0.1:1");
    expect((await tally.note("k", MINUTE, at(MINUTE, 1), sample("r1"))).first).toBe(true);
    expect((await tally.note("k", MINUTE, at(MINUTE, 2), sample("r2"))).first).toBe(false);
    expect(await tally.take(MINUTE + 1, 100)).toMatchObject([{ count: 1, sample: sample("r2") }]);
  });
});
