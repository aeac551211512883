import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import type { DatabaseHandle } from "../../src/adapters/db/database";
import { migrate } from "../../src/adapters/db/migrate";
import { openPglite } from "../../src/adapters/db/open-pglite";
import { openPostgres } from "../../src/adapters/db/open-postgres";
import { webhookDeliveryQueue } from "../../src/adapters/db/repositories/webhook-delivery-queue";
import { webhookEndpointHealth } from "../../src/adapters/db/repositories/webhook-endpoint-health";
import {
  tenants,
  users,
  webhookAttempts,
  webhookEndpoints,
  webhookMessages,
} from "../../src/adapters/db/schema";
import { scopedDatabase } from "../../src/adapters/db/scoped-database";
import { unitOfWork } from "../../src/adapters/db/unit-of-work";
import { aesGcmSecretBox } from "../../src/adapters/security/aes-gcm-secret-box";
import { dnsHostResolver } from "../../src/adapters/system/dns-host-resolver";
import { uuidv7Ids } from "../../src/adapters/system/uuidv7-ids";
import { fetchWebhookTransport } from "../../src/adapters/webhooks/fetch-webhook-transport";
import { checkedTarget } from "../../src/composition/webhook-delivery";
import { tenantScope } from "../../src/core/domain/data-scope";
import { webhookMessageId } from "../../src/core/domain/webhook";
import type { WebhookDeliveryOutcome } from "../../src/core/ports/webhook-endpoint-health";
import { makeCheckWebhookTarget } from "../../src/core/usecases/webhooks/check-webhook-target";
import { type DeliverWebhooks, makeDeliverWebhooks } from "../../src/core/usecases/webhooks/deliver";
import { manualClock } from "../support/clock";
import { silentLogger } from "../support/logger";
import { recordingMailer } from "../support/mailer";
import { disposeAtExit, isolatedDatabaseEnv } from "../support/resources";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const id = () => uuidv7Ids.next();
const box = aesGcmSecretBox(randomBytes(32));
const newSecret = () => `whsec_${randomBytes(24).toString("base64")}`;

async function ownDatabase(): Promise<DatabaseHandle> {
  const env = await isolatedDatabaseEnv();
  const handle = env.DATABASE_URL
    ? await openPostgres({
        url: env.DATABASE_URL,
        maxConnections: 4,
        statementTimeoutMs: 10_000,
        connectTimeoutSeconds: 5,
      })
    : await openPglite(env.PGLITE_DATA_DIR!, "the webhook delivery test");
  disposeAtExit(() => handle.close());
  await migrate(handle);
  return handle;
}

interface Received {
  webhookId: string;
  body: string;
  headers: Record<string, string>;
}

/** A receiver on a free loopback port: records each request, answers what `answer` says. */
function receiver() {
  const received: Received[] = [];
  let answer: (request: Received) => Response = () => new Response("ok");
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      const got = {
        webhookId: request.headers.get("webhook-id") ?? "",
        body: await request.text(),
        headers: Object.fromEntries(request.headers),
      };
      received.push(got);
      return answer(got);
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}/hook`,
    received,
    answer(with_: (request: Received) => Response) {
      answer = with_;
    },
    /** Whether the reference verifier accepts the delivery with `secret`. */
    verifies(request: Received, secret: string): boolean {
      try {
        new Webhook(secret).verify(request.body, request.headers);
        return true;
      } catch {
        return false;
      }
    },
    stop: () => server.stop(true),
  };
}

describe("webhook delivery to a real receiver, checked with the reference verifier", async () => {
  // A database of its own: the worker claims whatever is due, so other tests' messages must not be.
  const handle = await ownDatabase();
  const { db } = handle;
  const scoped = scopedDatabase(handle);
  const hook = receiver();
  const mailer = recordingMailer();
  // Starts a little in the past so that the retries' timestamps stay within the verifier's 5 minutes.
  const clock = manualClock(Date.now() - 3 * 60_000);
  const outcomes: WebhookDeliveryOutcome[] = [];
  const policy = { allowHttp: true, allowPrivateTargets: true };

  function worker(
    overrides: { allowPrivateTargets?: boolean; retryDelaysMs?: number[] } = {},
  ): DeliverWebhooks {
    const check = makeCheckWebhookTarget(dnsHostResolver, { ...policy, ...overrides });
    return makeDeliverWebhooks({
      queue: webhookDeliveryQueue(scoped),
      transport: fetchWebhookTransport({ check: checkedTarget(check) }),
      health: webhookEndpointHealth(scoped),
      secrets: box,
      uow: unitOfWork(scoped, clock, uuidv7Ids),
      mailer,
      telemetry: { webhookDelivery: (outcome) => outcomes.push(outcome) },
      logger: silentLogger,
      clock,
      ids: uuidv7Ids,
      random: () => 0.5,
      workerId: `test-${id()}`,
      leaseMs: 60_000,
      retryDelaysMs: overrides.retryDelaysMs,
    });
  }

  /** Delivers what is due now until nothing is; returns this test's outcomes by message id. */
  async function drain(deliver: DeliverWebhooks, mine: string[]) {
    const results = new Map<string, WebhookDeliveryOutcome>();
    for (;;) {
      const claimed = await deliver.claim(8);
      if (claimed.length === 0) return results;
      for (const item of claimed) {
        const outcome = await deliver.deliver(item);
        if (mine.includes(item.message.id)) results.set(item.message.id, outcome);
      }
    }
  }

  async function endpointWith(secret: string, extra: Partial<typeof webhookEndpoints.$inferInsert> = {}) {
    const tenantId = id();
    const endpointId = id();
    await db.insert(tenants).values({ id: tenantId, name: "Hooked", slug: `wh-${tenantId.slice(-12)}` });
    await db.insert(webhookEndpoints).values({
      id: endpointId,
      tenantId,
      url: hook.url,
      events: ["*"],
      secretSealed: box.seal(secret),
      ...extra,
    });
    return { tenantId, endpointId };
  }

  async function enqueue(tenantId: string, endpointId: string, data: Record<string, unknown> = {}) {
    const messageId = id();
    await db.insert(webhookMessages).values({
      id: messageId,
      tenantId,
      endpointId,
      eventType: "user.created",
      payload: { type: "user.created", timestamp: clock.now().toISOString(), data },
      nextAttemptAt: clock.now(),
    });
    return messageId;
  }

  const attemptsOf = (messageId: string) =>
    db
      .select()
      .from(webhookAttempts)
      .where(eq(webhookAttempts.messageId, messageId))
      .orderBy(asc(webhookAttempts.attemptedAt), asc(webhookAttempts.id));
  const messageRow = async (messageId: string) =>
    (await db.select().from(webhookMessages).where(eq(webhookMessages.id, messageId)))[0];

  beforeAll(() => hook.answer(() => new Response("ok")));
  afterAll(() => hook.stop());

  test("a delivery carries the three headers, verifies with the endpoint's secret, and is logged", async () => {
    const secret = newSecret();
    const { tenantId, endpointId } = await endpointWith(secret);
    const messageId = await enqueue(tenantId, endpointId, { userId: "u1" });
    hook.answer(() => new Response("thanks", { status: 202 }));

    const results = await drain(worker(), [messageId]);

    expect(results.get(messageId)).toBe("delivered");
    const got = hook.received.filter((r) => r.webhookId === webhookMessageId(messageId));
    expect(got).toHaveLength(1);
    expect(hook.verifies(got[0]!, secret)).toBe(true);
    expect(hook.verifies(got[0]!, newSecret())).toBe(false);
    expect(got[0]!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(got[0]!.body)).toMatchObject({ type: "user.created", data: { userId: "u1" } });
    expect(await messageRow(messageId)).toMatchObject({ status: "delivered", attempts: 1, claimedBy: null });
    expect(await attemptsOf(messageId)).toMatchObject([
      { statusCode: 202, responseSnippet: "thanks", error: null },
    ]);
  });

  test("during a rotation receivers holding the old or the new secret both verify; after 24 h only the new", async () => {
    const [current, previous] = [newSecret(), newSecret()];
    const { tenantId, endpointId } = await endpointWith(current, {
      previousSecretSealed: box.seal(previous),
      previousSecretExpiresAt: new Date(clock.now().getTime() + 24 * 3_600_000),
    });
    const during = await enqueue(tenantId, endpointId);
    await drain(worker(), [during]);
    const first = hook.received.find((r) => r.webhookId === webhookMessageId(during))!;
    expect(hook.verifies(first, current)).toBe(true);
    expect(hook.verifies(first, previous)).toBe(true);

    await db
      .update(webhookEndpoints)
      .set({ previousSecretExpiresAt: new Date(clock.now().getTime() - 1) })
      .where(eq(webhookEndpoints.id, endpointId));
    const after = await enqueue(tenantId, endpointId);
    await drain(worker(), [after]);
    const second = hook.received.find((r) => r.webhookId === webhookMessageId(after))!;
    expect(hook.verifies(second, current)).toBe(true);
    expect(hook.verifies(second, previous)).toBe(false);
  });

  test("a receiver failing the first attempts gets the retries with the same webhook-id, each verified", async () => {
    const secret = newSecret();
    const { tenantId, endpointId } = await endpointWith(secret);
    const messageId = await enqueue(tenantId, endpointId);
    let calls = 0;
    hook.answer(() => (++calls <= 2 ? new Response("down", { status: 503 }) : new Response("ok")));
    const deliver = worker();

    expect((await drain(deliver, [messageId])).get(messageId)).toBe("retrying");
    expect((await messageRow(messageId))?.nextAttemptAt).toEqual(new Date(clock.now().getTime() + 5_000));
    // Not due before its time.
    expect((await drain(deliver, [messageId])).get(messageId)).toBeUndefined();
    clock.advance(5);
    expect((await drain(deliver, [messageId])).get(messageId)).toBe("retrying");
    clock.advance(5 * 60);
    expect((await drain(deliver, [messageId])).get(messageId)).toBe("delivered");

    const got = hook.received.filter((r) => r.webhookId === webhookMessageId(messageId));
    expect(got).toHaveLength(3);
    expect(got.every((request) => hook.verifies(request, secret))).toBe(true);
    expect((await attemptsOf(messageId)).map((a) => a.statusCode)).toEqual([503, 503, 200]);
    hook.answer(() => new Response("ok"));
  });

  test("a redirect is an answer, not followed, and counts as a failure", async () => {
    const { tenantId, endpointId } = await endpointWith(newSecret());
    const messageId = await enqueue(tenantId, endpointId);
    let redirected = 0;
    hook.answer((request) => {
      if (request.webhookId === webhookMessageId(messageId)) {
        redirected++;
        return new Response(null, { status: 302, headers: { location: `${hook.url}?followed` } });
      }
      return new Response("ok");
    });
    expect((await drain(worker(), [messageId])).get(messageId)).toBe("retrying");
    expect(redirected).toBe(1);
    expect((await attemptsOf(messageId))[0]?.statusCode).toBe(302);
    hook.answer(() => new Response("ok"));
    await db.update(webhookMessages).set({ status: "failed" }).where(eq(webhookMessages.id, messageId));
  });

  test("a loopback target is refused at delivery when private targets are not allowed: nothing is sent", async () => {
    const { tenantId, endpointId } = await endpointWith(newSecret());
    const messageId = await enqueue(tenantId, endpointId);
    const before = hook.received.length;
    expect((await drain(worker({ allowPrivateTargets: false }), [messageId])).get(messageId)).toBe(
      "retrying",
    );
    expect(hook.received.length).toBe(before);
    expect(await attemptsOf(messageId)).toMatchObject([
      { statusCode: null, error: expect.stringContaining("resolves to a loopback") },
    ]);
    await db.update(webhookMessages).set({ status: "failed" }).where(eq(webhookMessages.id, messageId));
  });

  test("after 5 messages given up in a row the endpoint is disabled, its admins mailed once, and nothing more is sent", async () => {
    const { tenantId, endpointId } = await endpointWith(newSecret());
    const admin = `admin-${id()}@example.com`;
    await db.insert(users).values({ id: id(), tenantId, email: admin, role: "admin" });
    hook.answer(() => new Response("broken", { status: 500 }));
    const giveUpAtOnce = worker({ retryDelaysMs: [] });
    const failing = [];
    for (let i = 0; i < 5; i++) failing.push(await enqueue(tenantId, endpointId));
    const results = await drain(giveUpAtOnce, failing);
    expect([...results.values()]).toEqual(["failed", "failed", "failed", "failed", "failed"]);
    const [endpoint] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId));
    expect(endpoint?.disabledAt).not.toBeNull();
    expect(mailer.to(admin)).toHaveLength(1);
    expect(mailer.to(admin)[0]?.text).toContain(hook.url);

    const before = hook.received.length;
    const late = await enqueue(tenantId, endpointId);
    expect((await drain(giveUpAtOnce, [late])).get(late)).toBe("failed");
    expect(hook.received.length).toBe(before);
    expect((await attemptsOf(late))[0]?.error).toContain("disabled");
    hook.answer(() => new Response("ok"));
  });

  test("a secret that cannot be opened fails the message with the reason instead of retrying it forever", async () => {
    const { tenantId, endpointId } = await endpointWith(newSecret());
    await db
      .update(webhookEndpoints)
      .set({ secretSealed: "v1.sealed-under-another-key" })
      .where(eq(webhookEndpoints.id, endpointId));
    const messageId = await enqueue(tenantId, endpointId);
    const before = hook.received.length;
    expect((await drain(worker(), [messageId])).get(messageId)).toBe("failed");
    expect(hook.received.length).toBe(before);
    expect((await attemptsOf(messageId))[0]?.error).toContain("cannot be read");
  });

  describe("end to end from the transactional outbox", () => {
    const origin = { ip: null, userAgent: null, requestId: null };
    const flagCreated = (tenantId: string, key: string) => ({
      tenantId,
      actor: { type: "user" as const, id: "u1", display: "ann@example.com" },
      action: "flag.created",
      resource: { type: "flag", id: key },
      outcome: "success" as const,
      metadata: { key },
    });
    const uow = unitOfWork(scopedDatabase(handle), clock, uuidv7Ids);
    const deliveredTo = (hookOf: ReturnType<typeof receiver>, key: string) =>
      hookOf.received.filter((r) => JSON.parse(r.body).data?.resource?.id === key);

    test("a committed change is delivered; a rolled-back one sends nothing", async () => {
      const secret = newSecret();
      const { tenantId } = await endpointWith(secret);
      const [committed, rolledBack] = [`kept-${id()}`, `undone-${id()}`];
      await uow.transaction(tenantScope(tenantId), (repos) =>
        repos.audit.append(flagCreated(tenantId, committed), origin),
      );
      await uow
        .transaction(tenantScope(tenantId), async (repos) => {
          await repos.audit.append(flagCreated(tenantId, rolledBack), origin);
          throw new Error("the change fails after its audit event");
        })
        .catch(() => {});
      await drain(worker(), []);
      const got = deliveredTo(hook, committed);
      expect(got).toHaveLength(1);
      expect(hook.verifies(got[0]!, secret)).toBe(true);
      expect(JSON.parse(got[0]!.body)).toMatchObject({ type: "flag.created", data: { tenantId } });
      expect(deliveredTo(hook, rolledBack)).toHaveLength(0);
    });

    test("a tenant's endpoint never receives another tenant's event", async () => {
      const other = receiver();
      try {
        const mine = await endpointWith(newSecret());
        const theirsSecret = newSecret();
        const theirs = await endpointWith(theirsSecret, { url: other.url });
        const [myKey, theirKey] = [`mine-${id()}`, `theirs-${id()}`];
        await uow.transaction(tenantScope(mine.tenantId), (repos) =>
          repos.audit.append(flagCreated(mine.tenantId, myKey), origin),
        );
        await uow.transaction(tenantScope(theirs.tenantId), (repos) =>
          repos.audit.append(flagCreated(theirs.tenantId, theirKey), origin),
        );
        await drain(worker(), []);
        expect(deliveredTo(hook, myKey)).toHaveLength(1);
        expect(deliveredTo(hook, theirKey)).toHaveLength(0);
        expect(deliveredTo(other, theirKey)).toHaveLength(1);
        expect(deliveredTo(other, myKey)).toHaveLength(0);
        expect(other.received.every((r) => other.verifies(r, theirsSecret))).toBe(true);
        expect(other.received.every((r) => JSON.parse(r.body).data.tenantId === theirs.tenantId)).toBe(true);
      } finally {
        other.stop();
      }
    });
  });
});
