import { afterAll, describe, expect, test } from "bun:test";
import { eq, lt } from "drizzle-orm";
import type { DatabaseHandle } from "../../src/adapters/db/database";
import { webhookDeliveryQueue } from "../../src/adapters/db/repositories/webhook-delivery-queue";
import { tenants, webhookAttempts, webhookEndpoints, webhookMessages } from "../../src/adapters/db/schema";
import { scopedDatabase } from "../../src/adapters/db/scoped-database";
import { uuidv7Ids } from "../../src/adapters/system/uuidv7-ids";
import { embeddedDatabase, realPostgres } from "../support/resources";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const drivers: [string, () => Promise<DatabaseHandle | null>][] = [
  ["pglite", embeddedDatabase],
  ["postgres", realPostgres],
];
const id = () => uuidv7Ids.next();
const minute = 60_000;

/**
 * The endpoints this file made, deleted at its end with their messages: the bogus secrets and due
 * messages must not reach a delivery worker another test file runs on the same database.
 */
const madeEndpoints: { db: DatabaseHandle["db"]; id: string }[] = [];
afterAll(async () => {
  for (const { db, id } of madeEndpoints)
    await db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id));
});

/** A tenant with one endpoint and `count` messages due at `dueAt`; only this test's rows are claimable by its clock. */
async function seedMessages(db: DatabaseHandle["db"], count: number, dueAt: Date) {
  const tenantId = id();
  const endpointId = id();
  await db.insert(tenants).values({ id: tenantId, name: "T", slug: `wh-queue-${tenantId.slice(-12)}` });
  await db.insert(webhookEndpoints).values({
    id: endpointId,
    tenantId,
    url: "https://receiver.example/hook",
    events: ["*"],
    secretSealed: "sealed",
  });
  madeEndpoints.push({ db, id: endpointId });
  const messages = Array.from({ length: count }, () => ({
    id: id(),
    tenantId,
    endpointId,
    eventType: "user.created",
    payload: { type: "user.created", timestamp: dueAt.toISOString(), data: {} },
    nextAttemptAt: dueAt,
  }));
  await db.insert(webhookMessages).values(messages);
  return { tenantId, endpointId, ids: messages.map((m) => m.id) };
}

for (const [driver, open] of drivers) {
  describe(`webhook delivery queue on ${driver}`, async () => {
    const handle = await open();
    const maybe = handle ? test : test.skip;
    // Each test claims at a time in its own far past, earlier than the test before it, so no other
    // test's rows are due for it; rows of an interrupted earlier run are removed first.
    const epoch = (year: number) => new Date(Date.UTC(year, 0, 1));
    if (handle) await handle.db.delete(webhookMessages).where(lt(webhookMessages.nextAttemptAt, epoch(1980)));

    maybe("concurrent claims never hand the same message to two workers", async () => {
      const { db } = handle as DatabaseHandle;
      const now = epoch(1975);
      const seeded = await seedMessages(db, 20, new Date(now.getTime() - minute));
      const queue = webhookDeliveryQueue(scopedDatabase(handle as DatabaseHandle));
      const batches = await Promise.all(
        ["a", "b", "c", "d"].map((worker) => queue.claimDue(20, minute, now, worker)),
      );
      const claimed = batches.flat().map((c) => c.message.id);
      expect(new Set(claimed).size).toBe(claimed.length);
      expect(claimed.filter((m) => seeded.ids.includes(m)).sort()).toEqual([...seeded.ids].sort());
      expect(batches.flat()[0]?.endpoint).toMatchObject({
        url: "https://receiver.example/hook",
        active: true,
      });
    });

    maybe("a claimed message is claimed again only after its lease ends", async () => {
      const { db } = handle as DatabaseHandle;
      const now = epoch(1974);
      const seeded = await seedMessages(db, 1, now);
      const queue = webhookDeliveryQueue(scopedDatabase(handle as DatabaseHandle));
      expect((await queue.claimDue(10, minute, now, "dead")).map((c) => c.message.id)).toEqual(seeded.ids);
      expect(await queue.claimDue(10, minute, new Date(now.getTime() + minute - 1), "other")).toEqual([]);
      const after = await queue.claimDue(10, minute, new Date(now.getTime() + minute), "other");
      expect(after.map((c) => c.message.id)).toEqual(seeded.ids);
      // The dead worker's late write is refused: the lease is no longer its own.
      expect(await queue.markDelivered(seeded.ids[0]!, "dead", now)).toBe(false);
      expect(await queue.markDelivered(seeded.ids[0]!, "other", now)).toBe(true);
      const [row] = await db.select().from(webhookMessages).where(eq(webhookMessages.id, seeded.ids[0]!));
      expect(row).toMatchObject({ status: "delivered", claimedBy: null, deliveredAt: now });
    });

    maybe("attempts are logged and counted; reschedule, fail and release end the lease", async () => {
      const { db } = handle as DatabaseHandle;
      const now = epoch(1973);
      const seeded = await seedMessages(db, 3, now);
      const [first, second, third] = seeded.ids as [string, string, string];
      const queue = webhookDeliveryQueue(scopedDatabase(handle as DatabaseHandle));
      await queue.claimDue(10, minute, now, "w");
      await queue.recordAttempt({
        id: id(),
        messageId: first,
        tenantId: seeded.tenantId,
        attemptedAt: now,
        statusCode: 500,
        durationMs: 12,
        responseSnippet: "oops",
        error: null,
      });
      const later = new Date(now.getTime() + 5 * minute);
      expect(await queue.reschedule(first, "w", later)).toBe(true);
      expect(await queue.markFailed(second, "w")).toBe(true);
      await queue.release([third], "w");

      const rows = await db
        .select()
        .from(webhookMessages)
        .where(eq(webhookMessages.tenantId, seeded.tenantId));
      const byId = new Map(rows.map((r) => [r.id, r]));
      expect(byId.get(first)).toMatchObject({
        status: "pending",
        attempts: 1,
        nextAttemptAt: later,
        claimedBy: null,
      });
      expect(byId.get(second)).toMatchObject({ status: "failed", claimedBy: null });
      expect(byId.get(third)).toMatchObject({ status: "pending", claimedBy: null, claimedUntil: null });
      const attempts = await db.select().from(webhookAttempts).where(eq(webhookAttempts.messageId, first));
      expect(attempts).toHaveLength(1);
      // Released at once; the rescheduled one waits for its time.
      expect((await queue.claimDue(10, minute, now, "next")).map((c) => c.message.id)).toEqual([third]);
    });
  });
}
