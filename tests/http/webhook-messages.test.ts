import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { webhookAttempts, webhookMessages } from "../../src/adapters/db/schema";
import { uuidv7Ids } from "../../src/adapters/system/uuidv7-ids";
import { type TestApp, testApp } from "../support/app";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});

type Team = Awaited<ReturnType<TestApp["team"]>>;
/** A public address, so no name needs resolving (these machines resolve no public names). */
const PUBLIC_URL = "https://93.184.215.14/hook";

/** A team with an endpoint (of user events) and one message sent to it: its webhook.test event. */
async function endpointWithMessage(team: Team) {
  const token = team.admin.accessToken;
  const created = await t.call("POST", "/api/v1/webhooks", {
    token,
    body: { url: PUBLIC_URL, events: ["user.*"] },
  });
  const endpointId: string = created.body.endpoint.id;
  const sent = await t.call("POST", `/api/v1/webhooks/${endpointId}/test`, { token });
  expect(sent.status).toBe(202);
  const [message] = await t.db
    .select()
    .from(webhookMessages)
    .where(eq(webhookMessages.endpointId, endpointId));
  return { endpointId, messageId: message!.id };
}

describe("an endpoint's messages and attempts", () => {
  test("lists the messages with their webhook-id and status, and each message's attempts", async () => {
    const team = await t.team();
    const { endpointId, messageId } = await endpointWithMessage(team);
    const token = team.admin.accessToken;
    await t.db.insert(webhookAttempts).values({
      id: uuidv7Ids.next(),
      messageId,
      tenantId: team.tenant.id,
      attemptedAt: new Date(),
      statusCode: 503,
      durationMs: 12,
      responseSnippet: "busy",
      error: null,
    });

    const list = await t.call("GET", `/api/v1/webhooks/${endpointId}/messages`, { token });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({
      id: messageId,
      webhookId: `msg_${messageId}`,
      eventType: "webhook.test",
      status: "pending",
      payload: { type: "webhook.test" },
    });
    expect(list.body.nextCursor).toBeNull();

    const attempts = await t.call("GET", `/api/v1/webhooks/${endpointId}/messages/${messageId}/attempts`, {
      token,
    });
    expect(attempts.status).toBe(200);
    expect(attempts.body.items).toMatchObject([
      { statusCode: 503, durationMs: 12, responseSnippet: "busy", error: null },
    ]);
  });

  test("retry makes a given-up message due again now with the same id", async () => {
    const team = await t.team();
    const { endpointId, messageId } = await endpointWithMessage(team);
    const later = new Date(Date.now() + 3_600_000);
    await t.db
      .update(webhookMessages)
      .set({ status: "failed", nextAttemptAt: later })
      .where(eq(webhookMessages.id, messageId));

    const before = Date.now();
    const res = await t.call("POST", `/api/v1/webhooks/${endpointId}/messages/${messageId}/retry`, {
      token: team.admin.accessToken,
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id: messageId, webhookId: `msg_${messageId}`, status: "pending" });
    const [row] = await t.db.select().from(webhookMessages).where(eq(webhookMessages.id, messageId));
    expect(row?.status).toBe("pending");
    expect(row!.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(row!.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before - 1_000);
  });

  test("a member without webhooks:manage is refused 403", async () => {
    const team = await t.team();
    const { endpointId, messageId } = await endpointWithMessage(team);
    const token = team.member.accessToken;
    expect((await t.call("GET", `/api/v1/webhooks/${endpointId}/messages`, { token })).status).toBe(403);
    const retry = await t.call("POST", `/api/v1/webhooks/${endpointId}/messages/${messageId}/retry`, {
      token,
    });
    expect(retry.status).toBe(403);
  });

  test("another tenant's endpoint and messages are 404, and so is a message under another endpoint", async () => {
    const [owner, intruder] = [await t.team(), await t.team()];
    const { endpointId, messageId } = await endpointWithMessage(owner);
    const own = await endpointWithMessage(intruder);
    const token = intruder.admin.accessToken;
    const stored = () => t.db.select().from(webhookMessages).where(eq(webhookMessages.id, messageId));
    const [before] = await stored();
    for (const [method, path] of [
      ["GET", `/api/v1/webhooks/${endpointId}/messages`],
      ["GET", `/api/v1/webhooks/${endpointId}/messages/${messageId}/attempts`],
      ["POST", `/api/v1/webhooks/${endpointId}/messages/${messageId}/retry`],
      ["GET", `/api/v1/webhooks/${own.endpointId}/messages/${messageId}/attempts`],
      ["POST", `/api/v1/webhooks/${own.endpointId}/messages/${messageId}/retry`],
    ] as const) {
      const res = await t.call(method, path, { token });
      expect([path, res.status]).toEqual([path, 404]);
    }
    // The intruder's retries changed nothing.
    expect(await stored()).toEqual([before!]);
  });

  test("ids that are not UUIDs are 422", async () => {
    const team = await t.team();
    const res = await t.call("GET", "/api/v1/webhooks/nope/messages/also-nope/attempts", {
      token: team.admin.accessToken,
    });
    expect(res.status).toBe(422);
  });
});
