import { afterAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { memoryCache } from "../../src/adapters/cache/memory-cache";
import type { DatabaseHandle } from "../../src/adapters/db/database";
import { webhookEndpointRepository } from "../../src/adapters/db/repositories/webhook-endpoint-repository";
import { auditEvents, tenants, webhookEndpoints, webhookMessages } from "../../src/adapters/db/schema";
import { scopedDatabase } from "../../src/adapters/db/scoped-database";
import { unitOfWork } from "../../src/adapters/db/unit-of-work";
import { systemClock } from "../../src/adapters/system/system-clock";
import { uuidv7Ids } from "../../src/adapters/system/uuidv7-ids";
import type { AuditEventInput } from "../../src/core/domain/audit";
import { tenantScope } from "../../src/core/domain/data-scope";
import { makeWebhookSubscriberCache } from "../../src/core/usecases/webhooks/subscriber-cache";
import { embeddedDatabase, realPostgres } from "../support/resources";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const drivers: [string, () => Promise<DatabaseHandle | null>][] = [
  ["pglite", embeddedDatabase],
  ["postgres", realPostgres],
];
const id = () => uuidv7Ids.next();
const origin = { ip: null, userAgent: null, requestId: null };

const event = (tenantId: string, action: string, outcome: AuditEventInput["outcome"] = "success") => ({
  tenantId,
  actor: { type: "user" as const, id: "u1", display: "ann@example.com" },
  action,
  resource: { type: "user", id: "u2" },
  outcome,
  metadata: { email: "bob@example.com" },
});

/**
 * The endpoints this file made, deleted at its end with their messages: the bogus secrets and due
 * messages must not reach a delivery worker another test file runs on the same database.
 */
const madeEndpoints: { db: DatabaseHandle["db"]; id: string }[] = [];
afterAll(async () => {
  for (const { db, id } of madeEndpoints)
    await db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id));
});

async function tenantWithEndpoints(
  db: DatabaseHandle["db"],
  endpoints: { events: string[]; enabled?: boolean }[],
) {
  const tenantId = id();
  await db.insert(tenants).values({ id: tenantId, name: "T", slug: `wh-outbox-${tenantId.slice(-12)}` });
  const ids = [];
  for (const endpoint of endpoints) {
    const endpointId = id();
    ids.push(endpointId);
    madeEndpoints.push({ db, id: endpointId });
    await db.insert(webhookEndpoints).values({
      id: endpointId,
      tenantId,
      url: "https://receiver.example/hook",
      secretSealed: "sealed",
      ...endpoint,
    });
  }
  return { tenantId, endpointIds: ids };
}

const messagesOf = (db: DatabaseHandle["db"], tenantId: string) =>
  db.select().from(webhookMessages).where(eq(webhookMessages.tenantId, tenantId));

for (const [driver, open] of drivers) {
  describe(`the webhook outbox on ${driver}`, async () => {
    const handle = await open();
    const maybe = handle ? test : test.skip;

    maybe("a committed event enqueues one message per subscribed, enabled endpoint", async () => {
      const { db } = handle as DatabaseHandle;
      const { tenantId, endpointIds } = await tenantWithEndpoints(db, [
        { events: ["user.*"] },
        { events: ["*"] },
        { events: ["flag.updated"] },
        { events: ["*"], enabled: false },
      ]);
      await unitOfWork(scopedDatabase(handle as DatabaseHandle), systemClock, uuidv7Ids).transaction(
        tenantScope(tenantId),
        (repos) => repos.audit.append(event(tenantId, "user.created"), origin),
      );
      const rows = await messagesOf(db, tenantId);
      expect(rows.map((r) => r.endpointId).sort()).toEqual([endpointIds[0]!, endpointIds[1]!].sort());
      expect(rows[0]).toMatchObject({ status: "pending", attempts: 0, eventType: "user.created" });
      expect(rows[0]!.payload).toMatchObject({
        type: "user.created",
        data: {
          tenantId,
          actor: { type: "user", id: "u1", display: "ann@example.com" },
          resource: { type: "user", id: "u2" },
          metadata: { email: "bob@example.com" },
        },
      });
      expect(rows[0]!.nextAttemptAt.getTime()).toBe(rows[0]!.createdAt.getTime());
    });

    maybe("a rolled-back change enqueues nothing", async () => {
      const { db } = handle as DatabaseHandle;
      const { tenantId } = await tenantWithEndpoints(db, [{ events: ["*"] }]);
      const failed = unitOfWork(scopedDatabase(handle as DatabaseHandle), systemClock, uuidv7Ids).transaction(
        tenantScope(tenantId),
        async (repos) => {
          await repos.audit.append(event(tenantId, "user.created"), origin);
          throw new Error("the change failed after its audit event");
        },
      );
      await expect(failed).rejects.toThrow("the change failed");
      expect(await messagesOf(db, tenantId)).toEqual([]);
    });

    maybe("failures, refusals and uncatalogued actions enqueue nothing", async () => {
      const { db } = handle as DatabaseHandle;
      const { tenantId } = await tenantWithEndpoints(db, [{ events: ["*"] }]);
      await unitOfWork(scopedDatabase(handle as DatabaseHandle), systemClock, uuidv7Ids).transaction(
        tenantScope(tenantId),
        async (repos) => {
          await repos.audit.append(event(tenantId, "auth.login.failed", "failure"), origin);
          await repos.audit.append(event(tenantId, "user.created", "denied"), origin);
          await repos.audit.append(event(tenantId, "audit.read"), origin);
        },
      );
      expect(await messagesOf(db, tenantId)).toEqual([]);
    });

    maybe("a message for an endpoint deleted since it was read is dropped, not an error", async () => {
      const { db } = handle as DatabaseHandle;
      const { tenantId, endpointIds } = await tenantWithEndpoints(db, [{ events: ["*"] }, { events: ["*"] }]);
      await db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, endpointIds[0]!));
      const at = new Date();
      const payload = { type: "user.created", timestamp: at.toISOString(), data: {} };
      await webhookEndpointRepository(db).enqueue(
        endpointIds.map((endpointId) => ({ id: id(), tenantId, endpointId, payload, createdAt: at })),
      );
      expect((await messagesOf(db, tenantId)).map((m) => m.endpointId)).toEqual([endpointIds[1]!]);
    });

    maybe("a message for an endpoint disabled since it was read (a cached list) is dropped", async () => {
      const { db } = handle as DatabaseHandle;
      const { tenantId, endpointIds } = await tenantWithEndpoints(db, [
        { events: ["*"] },
        { events: ["*"] },
        { events: ["*"] },
      ]);
      await db
        .update(webhookEndpoints)
        .set({ enabled: false })
        .where(eq(webhookEndpoints.id, endpointIds[0]!));
      await db
        .update(webhookEndpoints)
        .set({ disabledAt: new Date(), disabledReason: "failures" })
        .where(eq(webhookEndpoints.id, endpointIds[1]!));
      const at = new Date();
      const payload = { type: "user.created", timestamp: at.toISOString(), data: {} };
      await webhookEndpointRepository(db).enqueue(
        endpointIds.map((endpointId) => ({ id: id(), tenantId, endpointId, payload, createdAt: at })),
      );
      expect((await messagesOf(db, tenantId)).map((m) => m.endpointId)).toEqual([endpointIds[2]!]);
    });

    maybe(
      "an event written with a cached list naming a deleted endpoint commits with its other messages",
      async () => {
        const { db } = handle as DatabaseHandle;
        const { tenantId, endpointIds } = await tenantWithEndpoints(db, [
          { events: ["*"] },
          { events: ["*"] },
        ]);
        const subscribers = makeWebhookSubscriberCache({ cache: memoryCache(), ttlSeconds: 60 });
        const uow = unitOfWork(
          scopedDatabase(handle as DatabaseHandle),
          systemClock,
          uuidv7Ids,
          undefined,
          subscribers,
        );
        await uow.transaction(tenantScope(tenantId), (repos) =>
          repos.audit.append(event(tenantId, "user.created"), origin),
        );
        await db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, endpointIds[0]!));
        await uow.transaction(tenantScope(tenantId), (repos) =>
          repos.audit.append(event(tenantId, "user.updated"), origin),
        );
        const rows = await messagesOf(db, tenantId);
        expect(rows.map((m) => [m.endpointId, m.eventType]).sort()).toEqual([
          [endpointIds[1]!, "user.created"],
          [endpointIds[1]!, "user.updated"],
        ]);
        const events = await db.select().from(auditEvents).where(eq(auditEvents.tenantId, tenantId));
        expect(events.map((e) => e.action).sort()).toEqual(["user.created", "user.updated"]);
      },
    );

    maybe("an event reaches only its own tenant's endpoints", async () => {
      const { db } = handle as DatabaseHandle;
      const mine = await tenantWithEndpoints(db, [{ events: ["*"] }]);
      const other = await tenantWithEndpoints(db, [{ events: ["*"] }]);
      await unitOfWork(scopedDatabase(handle as DatabaseHandle), systemClock, uuidv7Ids).transaction(
        tenantScope(mine.tenantId),
        (repos) => repos.audit.append(event(mine.tenantId, "flag.updated"), origin),
      );
      expect(await messagesOf(db, mine.tenantId)).toHaveLength(1);
      expect(await messagesOf(db, other.tenantId)).toEqual([]);
    });
  });
}
