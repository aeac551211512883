/**
 * The delivery worker as it runs in the server process: a killed instance's claim is sent again by
 * the next one once the lease ends, and SIGTERM lets a delivery in flight finish, or hands it back.
 */
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { tenants, webhookAttempts, webhookEndpoints, webhookMessages } from "../../src/adapters/db/schema";
import { uuidv7Ids } from "../../src/adapters/system/uuidv7-ids";
import { webhookSecretBox } from "../../src/composition/webhook-secret-box";
import { webhookMessageId } from "../../src/core/domain/webhook";
import { readCliDatabase, seededCliEnv } from "../support/saasctl";
import { killServers, startServer, waitForLine } from "../support/server-process";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const JWT_SECRET = "webhook-worker-process-test-secret-0123456789";
const secret = `whsec_${randomBytes(24).toString("base64")}`;
const id = () => uuidv7Ids.next();

/** A receiver that verifies every request with the reference verifier; `hold` keeps it from answering. */
function receiver() {
  const arrivals: { webhookId: string; verified: boolean }[] = [];
  let hold: Promise<void> | null = null;
  let status = 200;
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(request) {
      const body = await request.text();
      let verified = true;
      try {
        new Webhook(secret).verify(body, Object.fromEntries(request.headers));
      } catch {
        verified = false;
      }
      arrivals.push({ webhookId: request.headers.get("webhook-id") ?? "", verified });
      if (hold) await hold;
      return new Response("ok", { status });
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}/hook`,
    arrivals,
    holdUntil(released: Promise<void>) {
      hold = released;
    },
    answerNow() {
      hold = null;
    },
    async waitForArrivals(count: number, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (arrivals.length < count) {
        if (Date.now() > deadline) throw new Error(`${arrivals.length} of ${count} deliveries arrived`);
        await Bun.sleep(20);
      }
    },
    setStatus(code: number) {
      status = code;
    },
    stop: () => server.stop(true),
  };
}

async function setUp(extra: Record<string, string> = {}) {
  const env = await seededCliEnv({
    JWT_SECRET,
    BCRYPT_COST: "4",
    WEBHOOK_ALLOW_HTTP: "true",
    WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
    WEBHOOK_LEASE_SECONDS: "1",
    ...extra,
  });
  const hook = receiver();
  const messageId = id();
  await readCliDatabase(env, async (db) => {
    const tenantId = id();
    const endpointId = id();
    const box = webhookSecretBox({ auth: { mfaKeyMaterial: JWT_SECRET } } as never);
    await db.insert(tenants).values({ id: tenantId, name: "Hooked", slug: `hooked-${tenantId.slice(-8)}` });
    await db
      .insert(webhookEndpoints)
      .values({ id: endpointId, tenantId, url: hook.url, events: ["*"], secretSealed: box.seal(secret) });
    await db.insert(webhookMessages).values({
      id: messageId,
      tenantId,
      endpointId,
      eventType: "user.created",
      payload: { type: "user.created", timestamp: new Date().toISOString(), data: { n: 1 } },
      nextAttemptAt: new Date(),
    });
  });
  return { env, hook, messageId };
}

const stateOf = (env: Record<string, string>, messageId: string) =>
  readCliDatabase(env, async (db) => ({
    message: (await db.select().from(webhookMessages).where(eq(webhookMessages.id, messageId)))[0],
    attempts: await db.select().from(webhookAttempts).where(eq(webhookAttempts.messageId, messageId)),
  }));

const receivers: ReturnType<typeof receiver>[] = [];
afterEach(killServers);
afterAll(() => {
  for (const hook of receivers) hook.stop();
});

describe("webhook delivery worker in the server process", () => {
  test("a message claimed by a killed instance is delivered by the next once the lease ends", async () => {
    const { env, hook, messageId } = await setUp();
    receivers.push(hook);
    let release = () => {};
    hook.holdUntil(new Promise<void>((resolve) => (release = resolve)));

    const first = startServer(env);
    await first.url();
    await hook.waitForArrivals(1);
    first.kill("SIGKILL");
    await first.exited;
    hook.answerNow();
    release();

    const second = startServer(env);
    await second.url();
    await hook.waitForArrivals(2);
    second.kill("SIGTERM");
    expect(await second.exited).toBe(0);

    expect(hook.arrivals.map((a) => a.webhookId)).toEqual([
      webhookMessageId(messageId),
      webhookMessageId(messageId),
    ]);
    expect(hook.arrivals.every((a) => a.verified)).toBe(true);
    const { message, attempts } = await stateOf(env, messageId);
    expect(message).toMatchObject({ status: "delivered", claimedBy: null });
    // The killed instance never logged its attempt; the one that answered is logged.
    expect(attempts.map((a) => a.statusCode)).toEqual([200]);
  });

  test("SIGTERM lets a delivery in flight finish before the process exits", async () => {
    const { env, hook, messageId } = await setUp();
    receivers.push(hook);
    hook.holdUntil(Bun.sleep(500));
    const server = startServer(env);
    await server.url();
    await hook.waitForArrivals(1);
    server.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    const { message, attempts } = await stateOf(env, messageId);
    expect(message?.status).toBe("delivered");
    expect(attempts.map((a) => a.statusCode)).toEqual([200]);
  });

  test("SIGTERM hands back a delivery that outlasts the shutdown timeout: pending, unclaimed", async () => {
    const { env, hook, messageId } = await setUp({ SHUTDOWN_TIMEOUT_SECONDS: "2" });
    receivers.push(hook);
    hook.holdUntil(new Promise<void>(() => {}));
    const server = startServer(env);
    await server.url();
    await hook.waitForArrivals(1);
    server.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    await waitForLine(server, "webhook.deliveries_handed_back", 1_000);
    const { message } = await stateOf(env, messageId);
    expect(message).toMatchObject({ status: "pending", claimedBy: null, claimedUntil: null });
  });
});
