import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { webhookAttempts, webhookEndpoints, webhookMessages } from "../../src/adapters/db/schema";
import { uuidv7Ids } from "../../src/adapters/system/uuidv7-ids";
import { type CliHarness, cliHarness } from "../support/cli";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const id = () => uuidv7Ids.next();
let cli: CliHarness;
let acme: string;
let other: string;
let endpointId: string;
let messageId: string;

beforeAll(async () => {
  cli = await cliHarness();
  acme = cli.unique("acme");
  other = cli.unique("other");
  const tenantId = (await cli.json(["tenants", "create", "--name", "Acme", "--slug", acme])).id;
  await cli.json(["tenants", "create", "--name", "Other", "--slug", other]);
  endpointId = id();
  messageId = id();
  await cli.db.insert(webhookEndpoints).values({
    id: endpointId,
    tenantId,
    url: "https://hooks.acme.test/in",
    events: ["user.*"],
    secretSealed: "sealed-secret-never-printed",
  });
  await cli.db.insert(webhookMessages).values({
    id: messageId,
    tenantId,
    endpointId,
    eventType: "user.created",
    payload: { type: "user.created", timestamp: new Date().toISOString(), data: {} },
    status: "failed",
    attempts: 8,
    nextAttemptAt: new Date(),
  });
  await cli.db.insert(webhookAttempts).values({
    id: id(),
    messageId,
    tenantId,
    attemptedAt: new Date(),
    statusCode: null,
    durationMs: 10_000,
    responseSnippet: null,
    error: "Timed out.",
  });
});

describe("saasctl webhooks", () => {
  test("list shows the tenant's endpoints and never their secrets", async () => {
    const res = await cli.run(["webhooks", "list", "--tenant", acme]);
    expect(res).toMatchObject({ code: 0, stderr: "" });
    expect(res.stdout).toContain("https://hooks.acme.test/in");
    expect(res.stdout).toContain(endpointId);
    expect(res.stdout).not.toContain("sealed-secret");
    const json = await cli.json(["webhooks", "list", "--tenant", acme]);
    expect(json.items.map((e: { id: string }) => e.id)).toEqual([endpointId]);
  });

  test("messages lists an endpoint's messages; with a message id, its attempts", async () => {
    const list = await cli.run(["webhooks", "messages", "--tenant", acme, endpointId]);
    expect(list).toMatchObject({ code: 0, stderr: "" });
    expect(list.stdout).toContain(`msg_${messageId}`);
    expect(list.stdout).toContain("failed");
    const attempts = await cli.run(["webhooks", "messages", "--tenant", acme, endpointId, messageId]);
    expect(attempts).toMatchObject({ code: 0, stderr: "" });
    expect(attempts.stdout).toContain("Timed out.");
  });

  test("retry makes a failed message due again now", async () => {
    const res = await cli.run(["webhooks", "retry", "--tenant", acme, endpointId, messageId]);
    expect(res).toMatchObject({ code: 0, stderr: "", stdout: `Message msg_${messageId} is due again now\n` });
    const [row] = await cli.db.select().from(webhookMessages).where(eq(webhookMessages.id, messageId));
    expect(row?.status).toBe("pending");
    expect(row!.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  test("another tenant's endpoint is not found there", async () => {
    const res = await cli.run(["webhooks", "messages", "--tenant", other, endpointId]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("WEBHOOK_NOT_FOUND");
    expect(res.stdout).toBe("");
  });
});
