/**
 * The attack: a guest repeating a refused request to flood the tenant's audit log. Refusals are
 * coalesced per (caller, endpoint and code, minute): the first of a minute is written at once, the
 * rest as one summary when the minute is over. The clock is moved by hand across minutes.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, testApp } from "../support/app";
import { type AuditRow, eventsAfter, lastSeq } from "../support/audit";
import { manualClock } from "../support/clock";
import { testKeyPrefix, testRedisUrl } from "../support/resources";
import { allowDatabaseStartup } from "../support/slow-setup";
import { problemOf } from "../support/typed-client";

allowDatabaseStartup();

const clock = manualClock();
let t: TestApp;
beforeAll(async () => {
  t = await testApp({ clock });
});

/** Moves the clock to `second` past the start of the next minute; returns that minute's start. */
function nextMinuteAt(second: number): number {
  const start = (Math.floor(clock.now().getTime() / 60_000) + 1) * 60_000;
  clock.advance((start + second * 1000 - clock.now().getTime()) / 1000);
  return start;
}

/** The refused request of these tests: listing tenants, which needs a platform permission. */
const listTenants = (app: TestApp, token: string, headers: Record<string, string> = {}) =>
  app.api(token, headers).tenants.get({ query: {} });
const iso = (ms: number) => new Date(ms).toISOString();
const counts = (events: AuditRow[]) => events.map((e) => [e.metadata.summary, e.metadata.count]);
const total = (events: AuditRow[]) => events.reduce((sum, e) => sum + (e.metadata.count as number), 0);

describe("a guest repeating a refused request", () => {
  test("1,000 denials within a minute add at most 5 events, whose counts add up to 1,000", async () => {
    const { tenant, guest, admin } = await t.team();
    nextMinuteAt(30);
    const mark = await lastSeq(t.db, tenant.id);
    const times: number[] = [];
    const statuses = new Set<number>();
    // 60 ms apart: from hh:mm:30 to hh:mm+1:30, so the minute turns half way through.
    for (let i = 0; i < 1000; i++) {
      times.push(clock.now().getTime());
      statuses.add((await listTenants(t, guest.accessToken)).status);
      clock.advance(0.06);
    }
    expect([...statuses]).toEqual([403]);
    // Written at once: the first of each minute, and the summary of the first minute (by the
    // first denial of the second).
    expect(counts(await eventsAfter(t.db, tenant.id, mark))).toEqual([
      [false, 1],
      [true, 499],
      [false, 1],
    ]);

    clock.advance(60);
    expect((await t.useCases.flushAuditTally()).written).toBeGreaterThanOrEqual(1);
    const events = await eventsAfter(t.db, tenant.id, mark);
    expect(events.length).toBeLessThanOrEqual(5);
    expect(total(events)).toBe(1000);
    const denied = {
      action: "access.denied",
      outcome: "denied",
      actorType: "user",
      actorId: guest.id,
      resourceType: "endpoint",
      resourceId: "GET /api/v1/tenants",
    };
    expect(events).toEqual([
      expect.objectContaining({
        ...denied,
        metadata: {
          code: "FORBIDDEN",
          reason: expect.any(String),
          count: 1,
          firstAt: iso(times[0]!),
          lastAt: iso(times[0]!),
          summary: false,
        },
      }),
      expect.objectContaining({
        ...denied,
        metadata: expect.objectContaining({
          code: "FORBIDDEN",
          count: 499,
          firstAt: iso(times[1]!),
          lastAt: iso(times[499]!),
          summary: true,
        }),
      }),
      expect.objectContaining({
        ...denied,
        metadata: expect.objectContaining({ count: 1, firstAt: iso(times[500]!), summary: false }),
      }),
      expect.objectContaining({
        ...denied,
        metadata: expect.objectContaining({
          count: 499,
          firstAt: iso(times[501]!),
          lastAt: iso(times[999]!),
          summary: true,
        }),
      }),
    ]);

    const verified = await t.api(admin.accessToken).audit.verify.get({ query: {} });
    expect(verified.status).toBe(200);
    expect(verified.data).toMatchObject({ valid: true });
    expect(verified.data!.checked).toBeGreaterThanOrEqual(events.length);
  });

  test("two callers are coalesced apart, each with their own counts", async () => {
    const { tenant, guest, member } = await t.team();
    nextMinuteAt(0);
    const mark = await lastSeq(t.db, tenant.id);
    for (let i = 0; i < 10; i++) {
      for (const caller of [guest, member, guest]) {
        expect((await listTenants(t, caller.accessToken)).status).toBe(403);
        clock.advance(1);
      }
    }
    clock.advance(60);
    await t.useCases.flushAuditTally();
    const events = await eventsAfter(t.db, tenant.id, mark);
    const of = (id: string) => counts(events.filter((e) => e.actorId === id));
    expect(of(guest.id)).toEqual([
      [false, 1],
      [true, 19],
    ]);
    expect(of(member.id)).toEqual([
      [false, 1],
      [true, 9],
    ]);
  });

  test("another endpoint or another refusal code is another key", async () => {
    const { tenant, guest } = await t.team();
    const other = await t.createTenant();
    nextMinuteAt(0);
    const mark = await lastSeq(t.db, tenant.id);
    const codes = new Set<string>();
    for (let i = 0; i < 3; i++) {
      for (const refuse of [
        () => listTenants(t, guest.accessToken),
        () => t.api(guest.accessToken).audit.logs.get({ query: {} }),
        () => listTenants(t, guest.accessToken, { "x-tenant": other.slug }),
      ]) {
        codes.add(problemOf(await refuse())!.code);
      }
      clock.advance(1);
    }
    expect([...codes].sort()).toEqual(["FORBIDDEN", "TENANT_MISMATCH"]);
    clock.advance(60);
    await t.useCases.flushAuditTally();
    const events = await eventsAfter(t.db, tenant.id, mark);
    const keyed = (e: AuditRow) => [e.resourceId, e.metadata.code, e.metadata.count];
    expect(events.slice(0, 3).map(keyed)).toEqual([
      ["GET /api/v1/tenants", "FORBIDDEN", 1],
      ["GET /api/v1/audit/logs", "FORBIDDEN", 1],
      ["GET /api/v1/tenants", "TENANT_MISMATCH", 1],
    ]);
    // Summaries are flushed in no particular order.
    expect(events.slice(3).map(keyed).sort()).toEqual([
      ["GET /api/v1/audit/logs", "FORBIDDEN", 2],
      ["GET /api/v1/tenants", "FORBIDDEN", 2],
      ["GET /api/v1/tenants", "TENANT_MISMATCH", 2],
    ]);
  });

  test("flushing twice at once writes each summary once", async () => {
    const { tenant, guest } = await t.team();
    nextMinuteAt(0);
    const mark = await lastSeq(t.db, tenant.id);
    for (let i = 0; i < 5; i++) await listTenants(t, guest.accessToken);
    clock.advance(60);
    await Promise.all([t.useCases.flushAuditTally(), t.useCases.flushAuditTally()]);
    expect(counts(await eventsAfter(t.db, tenant.id, mark))).toEqual([
      [false, 1],
      [true, 4],
    ]);
  });

  test("on shutdown the open minute is written too, and the minute then counts on", async () => {
    const { tenant, guest } = await t.team();
    nextMinuteAt(0);
    const mark = await lastSeq(t.db, tenant.id);
    for (let i = 0; i < 3; i++) await listTenants(t, guest.accessToken);
    expect(counts(await eventsAfter(t.db, tenant.id, mark))).toEqual([[false, 1]]);
    await t.useCases.flushAuditTally({ all: true });
    expect(counts(await eventsAfter(t.db, tenant.id, mark))).toEqual([
      [false, 1],
      [true, 2],
    ]);
    await listTenants(t, guest.accessToken);
    expect(await eventsAfter(t.db, tenant.id, mark)).toHaveLength(2);
  });

  (process.env.TEST_REDIS_URL ? test : test.skip)(
    "two instances sharing Redis count one tally: one first event, one summary, however they flush",
    async () => {
      const shared = { REDIS_URL: (await testRedisUrl())!, CACHE_KEY_PREFIX: testKeyPrefix() };
      const a = await testApp({ clock, env: shared });
      const b = await testApp({ clock, env: shared });
      const { tenant, guest } = await a.team();
      nextMinuteAt(0);
      const mark = await lastSeq(a.db, tenant.id);
      for (const instance of [a, b, a, b, a, b]) {
        expect((await listTenants(instance, guest.accessToken)).status).toBe(403);
      }
      clock.advance(60);
      await Promise.all([a.useCases.flushAuditTally(), b.useCases.flushAuditTally()]);
      expect(counts(await eventsAfter(a.db, tenant.id, mark))).toEqual([
        [false, 1],
        [true, 5],
      ]);
    },
  );
});
