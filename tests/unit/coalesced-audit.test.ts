import { describe, expect, test } from "bun:test";
import { memoryAuditTally } from "../../src/adapters/tally/memory-audit-tally";
import type { AuditEventInput } from "../../src/core/domain/audit";
import { type DataScope, tenantScope } from "../../src/core/domain/data-scope";
import type { Repositories, UnitOfWork } from "../../src/core/ports/repositories";
import { makeCoalescedAudit } from "../../src/core/usecases/audit/coalesced-audit";
import { manualClock } from "../support/clock";

const MINUTE_START = Date.UTC(2026, 0, 1, 12, 0, 0);
const origin = (requestId: string) => ({ ip: "192.0.2.7", userAgent: "test", requestId });
const denial = (actorId: string, tenantId = "t1"): AuditEventInput => ({
  tenantId,
  actor: { type: "user", id: actorId, display: null },
  action: "access.denied",
  resource: { type: "endpoint", id: "GET /api/v1/tenants" },
  outcome: "denied",
  metadata: { code: "FORBIDDEN", reason: "no" },
});

/** A unit of work that counts its transactions and keeps what they append, unless told to fail. */
function recordingUow() {
  const appended: { event: AuditEventInput; requestId: string | null; transaction: number }[] = [];
  const scopes: DataScope[] = [];
  let transactions = 0;
  let failing = false;
  const uow: UnitOfWork = {
    async transaction(scope, work) {
      const transaction = ++transactions;
      scopes.push(scope);
      if (failing) throw new Error("database refused");
      const repos = {
        audit: {
          append: async (event: AuditEventInput, o: { requestId: string | null }) =>
            void appended.push({ event, requestId: o.requestId, transaction }),
        },
      } as unknown as Repositories;
      return work(repos);
    },
  };
  return {
    uow,
    appended,
    scopes,
    get transactions() {
      return transactions;
    },
    fail: (on: boolean) => {
      failing = on;
    },
  };
}

function setup() {
  const db = recordingUow();
  const clock = manualClock(MINUTE_START + 5_000);
  const audit = makeCoalescedAudit({ uow: db.uow, tally: memoryAuditTally(), clock });
  return { db, clock, audit };
}

const iso = (ms: number) => new Date(ms).toISOString();

describe("coalesced audit", () => {
  test("1,000 refusals in a minute: one transaction for the first, none for the rest until the minute closes", async () => {
    const { db, clock, audit } = setup();
    for (let i = 0; i < 1000; i++) {
      await audit.record("k", denial("u1"), origin(`r${i}`));
      clock.advance(0.05);
    }
    expect(db.transactions).toBe(1);
    expect(db.appended.map((a) => a.event.metadata)).toEqual([
      {
        code: "FORBIDDEN",
        reason: "no",
        count: 1,
        firstAt: iso(MINUTE_START + 5_000),
        lastAt: iso(MINUTE_START + 5_000),
        summary: false,
      },
    ]);
  });

  test("the key's next refusal after the minute writes the summary and its own event in one transaction", async () => {
    const { db, clock, audit } = setup();
    for (let i = 0; i < 10; i++) {
      await audit.record("k", denial("u1"), origin(`r${i}`));
      clock.advance(1);
    }
    clock.advance(60);
    await audit.record("k", denial("u1"), origin("next"));
    expect(db.transactions).toBe(2);
    expect(db.appended.slice(1).map((a) => [a.transaction, a.requestId, a.event.metadata])).toEqual([
      [
        2,
        "r1",
        {
          code: "FORBIDDEN",
          reason: "no",
          count: 9,
          firstAt: iso(MINUTE_START + 6_000),
          lastAt: iso(MINUTE_START + 14_000),
          summary: true,
        },
      ],
      [2, "next", expect.objectContaining({ count: 1, summary: false })],
    ]);
  });

  test("flush writes only minutes that are over, or every one with all (shutdown)", async () => {
    const { db, clock, audit } = setup();
    for (const actor of ["u1", "u1", "u2", "u2", "u2"])
      await audit.record(actor, denial(actor), origin(actor));
    expect(await audit.flush()).toEqual({ written: 0, failed: [] });
    expect(await audit.flush({ all: true })).toEqual({ written: 2, failed: [] });
    expect(db.scopes.every((scope) => scope.kind === "tenant" && scope.tenantId === "t1")).toBe(true);
    expect(
      db.appended
        .filter((a) => a.event.metadata?.summary)
        .map((a) => [a.event.actor.id, a.event.metadata?.count]),
    ).toEqual([
      ["u1", 1],
      ["u2", 2],
    ]);
    clock.advance(60);
    expect(await audit.flush()).toEqual({ written: 0, failed: [] });
  });

  test("a summary the database refuses is reported with its count, and the others are still written", async () => {
    const { db, clock, audit } = setup();
    for (const actor of ["u1", "u1", "u2", "u2"]) await audit.record(actor, denial(actor), origin(actor));
    clock.advance(60);
    db.fail(true);
    const failedOnce = await audit.flush();
    expect(failedOnce.failed.map(({ tenantId, action, count }) => ({ tenantId, action, count }))).toEqual([
      { tenantId: "t1", action: "access.denied", count: 1 },
      { tenantId: "t1", action: "access.denied", count: 1 },
    ]);
    db.fail(false);
    for (const actor of ["u3", "u3"]) await audit.record(actor, denial(actor), origin(actor));
    clock.advance(60);
    expect(await audit.flush()).toEqual({ written: 1, failed: [] });
  });

  test("each event and summary is written in its own tenant's scope, never another's", async () => {
    const { db, clock, audit } = setup();
    for (const tenantId of ["t1", "t2", "t2"])
      await audit.record(`k-${tenantId}`, denial("u1", tenantId), origin(tenantId));
    clock.advance(60);
    expect(await audit.flush()).toEqual({ written: 1, failed: [] });
    expect(db.scopes).toEqual([tenantScope("t1"), tenantScope("t2"), tenantScope("t2")]);
    expect(db.appended.map((a) => a.event.tenantId)).toEqual(["t1", "t2", "t2"]);
  });
});
