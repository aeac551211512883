import { describe, expect, test } from "bun:test";
import { asc, eq, sql } from "drizzle-orm";
import type { DatabaseHandle } from "../../src/adapters/db/database";
import { auditTrail } from "../../src/adapters/db/repositories/audit-trail";
import { auditCheckpoints, auditEvents } from "../../src/adapters/db/schema";
import { scopedDatabase } from "../../src/adapters/db/scoped-database";
import { repositories, unitOfWork } from "../../src/adapters/db/unit-of-work";
import { uuidv7Ids } from "../../src/adapters/system/uuidv7-ids";
import { tenantScope } from "../../src/core/domain/data-scope";
import { makeApplyAuditRetention } from "../../src/core/usecases/audit/apply-audit-retention";
import { verifyChain } from "../../src/core/usecases/audit/verify-audit-chain";
import { tamper } from "../support/audit";
import { manualClock } from "../support/clock";
import { embeddedDatabase, realPostgres } from "../support/resources";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const drivers: [string, () => Promise<DatabaseHandle | null>][] = [
  ["pglite", embeddedDatabase],
  ["postgres", realPostgres],
];
const origin = { ip: "192.0.2.1", userAgent: "test", requestId: "req-1" };
const DAY = 86_400;

for (const [driver, open] of drivers) {
  describe(`audit chain on ${driver}`, async () => {
    const handle = await open();
    const maybe = handle ? test : test.skip;
    const h = handle as DatabaseHandle;
    const clock = manualClock(Date.parse("2026-01-01T00:00:00Z"));
    const uow = () => unitOfWork(scopedDatabase(h), clock, uuidv7Ids);
    const trail = () => auditTrail(scopedDatabase(h), clock);
    /** The trail, as if the tenant were the only one: other tests' tenants share this database. */
    const only = (tenantId: string) => ({ ...trail(), tenantIds: async () => [tenantId] });
    const newTenant = () =>
      repositories(h.db, clock, uuidv7Ids).tenants.create({
        id: uuidv7Ids.next(),
        name: "T",
        slug: `audit-${Bun.randomUUIDv7().slice(-12)}`,
        plan: "free",
      });
    const append = (tenantId: string, i: number) =>
      uow().transaction(tenantScope(tenantId), (r) =>
        r.audit.append(
          {
            tenantId,
            actor: { type: "system", id: null, display: "system" },
            action: "test.event",
            resource: { type: "test", id: String(i) },
            outcome: "success",
            metadata: { i, nested: { b: [1, 2], a: "é" } },
          },
          origin,
        ),
      );
    /** A tenant with `count` events, one a second. */
    async function chainOf(count: number) {
      const tenant = await newTenant();
      for (let i = 1; i <= count; i++) {
        await append(tenant.id, i);
        clock.advance(1);
      }
      return tenant.id;
    }
    const seqs = async (tenantId: string) =>
      (
        await h.db
          .select({ seq: auditEvents.seq })
          .from(auditEvents)
          .where(eq(auditEvents.tenantId, tenantId))
          .orderBy(asc(auditEvents.seq))
      ).map((row) => row.seq);
    const idAt = async (tenantId: string, seq: number) =>
      (
        await h.db
          .select({ id: auditEvents.id })
          .from(auditEvents)
          .where(sql`${auditEvents.tenantId} = ${tenantId} and ${auditEvents.seq} = ${seq}`)
      )[0]!.id;

    maybe("50 concurrent writers in one tenant give a gap-free chain that verifies", async () => {
      const tenant = await newTenant();
      await Promise.all(Array.from({ length: 50 }, (_, i) => append(tenant.id, i)));
      expect(await seqs(tenant.id)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(await verifyChain(trail(), tenant.id)).toEqual({ valid: true, checked: 50 });
      // Small batches walk the same chain across batch boundaries.
      expect(await verifyChain(trail(), tenant.id, 7)).toEqual({ valid: true, checked: 50 });
    });

    maybe("a tenant without events verifies, with nothing checked", async () => {
      const tenant = await newTenant();
      expect(await verifyChain(trail(), tenant.id)).toEqual({ valid: true, checked: 0 });
    });

    maybe("editing an event's content is detected at that event", async () => {
      const tenantId = await chainOf(5);
      await tamper(
        h.db,
        sql`update audit_events set metadata = '{"i": 99}' where tenant_id = ${tenantId} and seq = 3`,
      );
      expect(await verifyChain(trail(), tenantId, 2)).toEqual({
        valid: false,
        checked: 2,
        firstInvalid: { seq: 3, id: await idAt(tenantId, 3), reason: "hash_mismatch" },
      });
    });

    maybe("rewriting an event together with its hash breaks the link of the next one", async () => {
      const tenantId = await chainOf(4);
      await tamper(
        h.db,
        sql`update audit_events set outcome = 'failure', hash = ${"a".repeat(64)} where tenant_id = ${tenantId} and seq = 2`,
      );
      const result = await verifyChain(trail(), tenantId);
      expect(result.valid).toBe(false);
      expect(result.firstInvalid?.seq).toBe(2);
      expect(result.firstInvalid?.reason).toBe("hash_mismatch");
    });

    maybe("deleting an event in the middle is detected as a gap", async () => {
      const tenantId = await chainOf(5);
      await tamper(h.db, sql`delete from audit_events where tenant_id = ${tenantId} and seq = 3`);
      expect(await verifyChain(trail(), tenantId)).toEqual({
        valid: false,
        checked: 2,
        firstInvalid: { seq: 4, id: await idAt(tenantId, 4), reason: "sequence_gap" },
      });
    });

    maybe("deleting the first event is detected", async () => {
      const tenantId = await chainOf(3);
      await tamper(h.db, sql`delete from audit_events where tenant_id = ${tenantId} and seq = 1`);
      const result = await verifyChain(trail(), tenantId);
      expect(result).toMatchObject({
        valid: false,
        checked: 0,
        firstInvalid: { seq: 2, reason: "sequence_gap" },
      });
    });

    maybe("deleting the last events is detected against the chain head", async () => {
      const tenantId = await chainOf(5);
      await tamper(h.db, sql`delete from audit_events where tenant_id = ${tenantId} and seq >= 4`);
      expect(await verifyChain(trail(), tenantId)).toEqual({
        valid: false,
        checked: 3,
        firstInvalid: { seq: 4, id: null, reason: "missing_tail" },
      });
    });

    maybe("deleting an event and renumbering the rest is detected as a broken link", async () => {
      const tenantId = await chainOf(5);
      await tamper(h.db, sql`delete from audit_events where tenant_id = ${tenantId} and seq = 3`);
      // One row at a time, upwards: (tenant_id, seq) is unique at every step.
      const moveDown = (seq: number) =>
        sql`update audit_events set seq = ${seq - 1} where tenant_id = ${tenantId} and seq = ${seq}`;
      await tamper(h.db, moveDown(4), moveDown(5));
      const result = await verifyChain(trail(), tenantId);
      expect(result).toMatchObject({
        valid: false,
        checked: 2,
        firstInvalid: { seq: 3, reason: "broken_link" },
      });
    });

    maybe("swapping two events' places is detected as a broken link", async () => {
      const tenantId = await chainOf(5);
      const [second, third] = [await idAt(tenantId, 2), await idAt(tenantId, 3)];
      const setSeq = (from: number, to: number) =>
        sql`update audit_events set seq = ${to} where tenant_id = ${tenantId} and seq = ${from}`;
      await tamper(h.db, setSeq(2, -1), setSeq(3, 2), setSeq(-1, 3));
      expect(await idAt(tenantId, 2)).toBe(third);
      expect(await verifyChain(trail(), tenantId)).toEqual({
        valid: false,
        checked: 1,
        firstInvalid: { seq: 2, id: third, reason: "broken_link" },
      });
      expect(second).not.toBe(third);
    });

    maybe("the application cannot update, delete or truncate audit events", async () => {
      const tenantId = await chainOf(2);
      const refusal = async (statement: ReturnType<typeof sql>) => {
        try {
          await h.db.execute(statement);
          return "allowed";
        } catch (error) {
          return `${(error as Error).message} ${((error as Error).cause as Error | undefined)?.message ?? ""}`;
        }
      };
      expect(await refusal(sql`update audit_events set action = 'x' where tenant_id = ${tenantId}`)).toMatch(
        /append-only \(UPDATE refused\)/,
      );
      expect(await refusal(sql`delete from audit_events where tenant_id = ${tenantId}`)).toMatch(
        /append-only \(DELETE refused\)/,
      );
      expect(await refusal(sql`truncate audit_events`)).toMatch(/append-only \(TRUNCATE refused\)/);
      expect(await seqs(tenantId)).toEqual([1, 2]);
      expect(await verifyChain(trail(), tenantId)).toEqual({ valid: true, checked: 2 });
    });

    maybe(
      "retention cuts only the chain's start, records a checkpoint, and the chain still verifies",
      async () => {
        const tenantId = await chainOf(10);
        clock.advance(-10); // back to the first event's time: events 1-4 are then 4+ days older than "now"
        clock.advance(4 * DAY + 4);
        // A retention of 4 days at "now" keeps the events of the last 4 days: 5 to 10.
        const retention = makeApplyAuditRetention({
          trail: only(tenantId),
          uow: uow(),
          clock,
          retentionDays: 4,
          batchSize: 3,
        });
        const outcome = await retention();
        expect(outcome.refused).toEqual([]);
        expect(outcome).toMatchObject({ deleted: 4, tenantsCut: 1 });
        // The cut is recorded in the chain it cut (11), after the kept events.
        const kept = await seqs(tenantId);
        expect(kept).toEqual([5, 6, 7, 8, 9, 10, 11]);
        const [checkpoint] = await h.db
          .select()
          .from(auditCheckpoints)
          .where(eq(auditCheckpoints.tenantId, tenantId));
        const [first] = await h.db
          .select()
          .from(auditEvents)
          .where(sql`${auditEvents.tenantId} = ${tenantId} and ${auditEvents.seq} = ${kept[0]}`);
        expect(checkpoint).toMatchObject({ firstSeq: kept[0], prevHash: first!.prevHash });
        expect(await verifyChain(trail(), tenantId)).toEqual({ valid: true, checked: kept.length });
        const [event] = await h.db
          .select()
          .from(auditEvents)
          .where(
            sql`${auditEvents.tenantId} = ${tenantId} and ${auditEvents.action} = 'audit.retention_applied'`,
          );
        expect(event).toMatchObject({
          actorType: "system",
          outcome: "success",
          metadata: { deleted: outcome.deleted, retentionDays: 4 },
        });
        // Run again: nothing more is old enough.
        const again = await retention();
        expect(again.deleted).toBe(0);
      },
    );

    maybe("retention keeps a chain whose old part does not verify, and says where", async () => {
      const tenantId = await chainOf(4);
      await tamper(
        h.db,
        sql`update audit_events set action = 'forged' where tenant_id = ${tenantId} and seq = 2`,
      );
      clock.advance(30 * DAY);
      const outcome = await makeApplyAuditRetention({
        trail: only(tenantId),
        uow: uow(),
        clock,
        retentionDays: 1,
      })();
      expect(outcome.refused).toEqual([
        {
          tenantId,
          firstInvalid: { seq: 2, id: await idAt(tenantId, 2), reason: "hash_mismatch" },
        },
      ]);
      expect(await seqs(tenantId)).toEqual([1, 2, 3, 4]);
    });

    maybe("with retention unset nothing is ever deleted", async () => {
      const tenantId = await chainOf(2);
      clock.advance(10_000 * DAY);
      const outcome = await makeApplyAuditRetention({
        trail: only(tenantId),
        uow: uow(),
        clock,
        retentionDays: null,
      })();
      expect(outcome).toEqual({ deleted: 0, tenantsCut: 0, refused: [] });
      expect(await seqs(tenantId)).toEqual([1, 2]);
    });
  });
}
