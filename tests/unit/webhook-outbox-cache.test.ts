import { expect, test } from "bun:test";
import { memoryCache } from "../../src/adapters/cache/memory-cache";
import { webhookOutbox } from "../../src/adapters/db/webhook-outbox";
import type { AuditEventInput } from "../../src/core/domain/audit";
import type {
  NewWebhookMessage,
  WebhookEndpointRepository,
} from "../../src/core/ports/webhook-endpoint-repository";
import { makeWebhookSubscriberCache } from "../../src/core/usecases/webhooks/subscriber-cache";

const origin = { ip: null, userAgent: null, requestId: null };
let next = 0;
const ids = { next: () => `id-${++next}` };
const clock = { now: () => new Date("2026-12-03T00:00:00Z") };

const event = (action: string, outcome: AuditEventInput["outcome"] = "success"): AuditEventInput => ({
  tenantId: "t1",
  actor: { type: "user", id: "u1", display: "ann@example.com" },
  action,
  resource: { type: "flag", id: "f1" },
  outcome,
});

function setup() {
  const stored: { id: string; events: string[] }[] = [];
  const reads = { subscribers: 0 };
  const enqueued: NewWebhookMessage[] = [];
  const endpoints: Pick<WebhookEndpointRepository, "subscribers"> = {
    subscribers: async () => {
      reads.subscribers++;
      return stored.map((endpoint) => ({ ...endpoint }));
    },
  };
  const subscribers = makeWebhookSubscriberCache({ cache: memoryCache(), ttlSeconds: 60 });
  const outbox = webhookOutbox(endpoints, clock, ids, subscribers);
  // What the audit log does with an event: writes the outbox's messages with it.
  const audit = {
    append: async (e: AuditEventInput, _origin: typeof origin) => void enqueued.push(...(await outbox(e))),
  };
  return { stored, reads, enqueued, audit, subscribers, endpoints };
}

test("a tenant's subscribers are read once, then changes nobody subscribes to enqueue without reading endpoints", async () => {
  const { audit, reads, enqueued } = setup();
  for (let i = 0; i < 5; i++) await audit.append(event("flag.updated"), origin);
  expect(reads.subscribers).toBe(1);
  expect(enqueued).toEqual([]);
});

test("failures and uncatalogued actions consult neither the cache nor the endpoints", async () => {
  const { audit, reads } = setup();
  await audit.append(event("flag.updated", "failure"), origin);
  await audit.append(event("audit.read"), origin);
  expect(reads.subscribers).toBe(0);
});

test("an endpoint created after the list was cached receives the next event once its change is published", async () => {
  const { audit, stored, enqueued, subscribers, reads, endpoints } = setup();
  await audit.append(event("flag.updated"), origin);
  stored.push({ id: "e1", events: ["flag.*"] }, { id: "e2", events: ["user.*"] });
  await subscribers.publish("t1", () => endpoints.subscribers("t1"));
  await audit.append(event("flag.updated"), origin);
  await audit.append(event("flag.created"), origin);
  expect(enqueued.map((m) => [m.endpointId, m.payload.type])).toEqual([
    ["e1", "flag.updated"],
    ["e1", "flag.created"],
  ]);
  expect(reads.subscribers).toBe(2); // the first fill and the publication
});

test("a publication that cannot read the endpoints drops the cached list instead of failing the committed change", async () => {
  const cache = memoryCache();
  let failing = false;
  const subscribers = makeWebhookSubscriberCache({ cache, ttlSeconds: 60 });
  await subscribers.read("t1", async () => []);
  expect(await cache.get("webhook-subscribers:t1")).toEqual([]);
  failing = true;
  await subscribers.publish("t1", async () => {
    if (failing) throw new Error("database gone");
    return [];
  });
  expect(await cache.get("webhook-subscribers:t1")).toBeUndefined();
});
