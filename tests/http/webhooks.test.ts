import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, asc, eq, inArray } from "drizzle-orm";
import { auditEvents, webhookEndpoints, webhookMessages } from "../../src/adapters/db/schema";
import { webhookSecretBox } from "../../src/composition/webhook-secret-box";
import { type TestApp, testApp } from "../support/app";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

let t: TestApp;
/** WEBHOOK_ALLOW_HTTP and WEBHOOK_ALLOW_PRIVATE_TARGETS on, as in development. */
let lax: TestApp;
beforeAll(async () => {
  t = await testApp();
  lax = await testApp({ env: { WEBHOOK_ALLOW_HTTP: "true", WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" } });
});

type Team = Awaited<ReturnType<TestApp["team"]>>;

/**
 * The tenants this file made: their endpoints (and so their queued messages) are deleted at its end,
 * so no delivery worker another test file runs on the same database sends them anywhere.
 */
const madeTenants: string[] = [];
async function newTeam(app: TestApp = t): Promise<Team> {
  const team = await app.team();
  madeTenants.push(team.tenant.id);
  return team;
}
afterAll(async () => {
  if (madeTenants.length > 0) {
    await t.db.delete(webhookEndpoints).where(inArray(webhookEndpoints.tenantId, madeTenants));
  }
});
/** A public address, so no name needs resolving (these machines resolve no public names). */
const PUBLIC_URL = "https://93.184.215.14/hook";

async function register(team: Team, body: Record<string, unknown> = {}) {
  const res = await t.call("POST", "/api/v1/webhooks", {
    token: team.admin.accessToken,
    body: { url: PUBLIC_URL, events: ["*"], ...body },
  });
  if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { endpoint: { id: string; previousSecretExpiresAt: string | null }; secret: string };
}

const auditOf = (tenantId: string, action: string) =>
  t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, action)))
    .orderBy(asc(auditEvents.seq));

const messagesOf = (tenantId: string) =>
  t.db.select().from(webhookMessages).where(eq(webhookMessages.tenantId, tenantId));

const storedSecrets = async (id: string) => {
  const [row] = await t.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
  const box = webhookSecretBox(t.config);
  return {
    row: row!,
    current: box.open(row!.secretSealed),
    previous: row!.previousSecretSealed ? box.open(row!.previousSecretSealed) : null,
  };
};

describe("registering a webhook endpoint", () => {
  test("returns the endpoint and its whsec_ secret once; the database holds it sealed", async () => {
    const team = await newTeam();
    const res = await t.call("POST", "/api/v1/webhooks", {
      token: team.admin.accessToken,
      body: { url: PUBLIC_URL, events: ["user.*", "flag.updated"], description: " CRM sync " },
    });
    expect(res.status).toBe(201);
    const { endpoint, secret } = res.body;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), "base64")).toHaveLength(32);
    expect(endpoint).toMatchObject({
      url: PUBLIC_URL,
      events: ["user.*", "flag.updated"],
      description: "CRM sync",
      enabled: true,
      previousSecretExpiresAt: null,
      consecutiveFailures: 0,
      disabledAt: null,
    });
    const stored = await storedSecrets(endpoint.id);
    expect(JSON.stringify(stored.row)).not.toContain(secret);
    expect(stored.current).toBe(secret);

    const read = await t.call("GET", `/api/v1/webhooks/${endpoint.id}`, { token: team.admin.accessToken });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(endpoint);
    expect(JSON.stringify(read.body)).not.toContain("whsec_");
    const [event] = await auditOf(team.tenant.id, "webhook.created");
    expect(event).toMatchObject({ actorId: team.admin.id, resourceId: endpoint.id });
    expect(JSON.stringify(event)).not.toContain(secret);
  });

  test("unknown event patterns are 422 UNKNOWN_WEBHOOK_EVENT, field by field", async () => {
    const team = await newTeam();
    const res = await t.call("POST", "/api/v1/webhooks", {
      token: team.admin.accessToken,
      body: { url: PUBLIC_URL, events: ["user.created", "users.*", "audit.read"] },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe("UNKNOWN_WEBHOOK_EVENT");
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(["events.1", "events.2"]);
    expect(
      await t.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.tenantId, team.tenant.id)),
    ).toEqual([]);
  });

  test("a URL that is not https, not a URL, or carries credentials is 422 INVALID_WEBHOOK_URL", async () => {
    const team = await newTeam();
    for (const url of ["http://93.184.215.14/hook", "not a url", "https://user:pw@93.184.215.14/"]) {
      const res = await t.call("POST", "/api/v1/webhooks", {
        token: team.admin.accessToken,
        body: { url, events: ["*"] },
      });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe("INVALID_WEBHOOK_URL");
      expect(res.body.errors[0].field).toBe("url");
    }
  });

  test("a target inside the platform's network is refused: 422 WEBHOOK_TARGET_FORBIDDEN", async () => {
    const team = await newTeam();
    for (const url of [
      "https://127.0.0.1/hook",
      "https://localhost:8443/hook",
      "https://10.0.0.7/",
      "https://169.254.169.254/latest/meta-data/",
      "https://[::1]/",
      "https://[::ffff:169.254.169.254]/",
      "https://[fd00:ec2::254]/",
      "https://0x7f000001/",
    ]) {
      const res = await t.call("POST", "/api/v1/webhooks", {
        token: team.admin.accessToken,
        body: { url, events: ["*"] },
      });
      expect({ url, status: res.status, code: res.body.code }).toEqual({
        url,
        status: 422,
        code: "WEBHOOK_TARGET_FORBIDDEN",
      });
    }
  });

  test("with WEBHOOK_ALLOW_HTTP and WEBHOOK_ALLOW_PRIVATE_TARGETS, a local http receiver is accepted", async () => {
    const team = await newTeam(lax);
    const res = await lax.call("POST", "/api/v1/webhooks", {
      token: team.admin.accessToken,
      body: { url: "http://127.0.0.1:9/hook", events: ["*"] },
    });
    expect(res.status).toBe(201);
  });

  test("unknown fields are refused and lists are bounded", async () => {
    const team = await newTeam();
    const extra = await t.call("POST", "/api/v1/webhooks", {
      token: team.admin.accessToken,
      body: { url: PUBLIC_URL, events: ["*"], secret: "whsec_mine" },
    });
    expect(extra.status).toBe(422);
    const empty = await t.call("POST", "/api/v1/webhooks", {
      token: team.admin.accessToken,
      body: { url: PUBLIC_URL, events: [] },
    });
    expect(empty.status).toBe(422);
  });

  test("needs webhooks:manage: a member is refused, an API key holding it is served", async () => {
    const team = await newTeam();
    const member = await t.call("POST", "/api/v1/webhooks", {
      token: team.member.accessToken,
      body: { url: PUBLIC_URL, events: ["*"] },
    });
    expect(member.status).toBe(403);
    const key = await t.call("POST", "/api/v1/api-keys", {
      token: team.admin.accessToken,
      body: { name: "hooks", permissions: ["webhooks:manage"] },
    });
    expect(key.status).toBe(201);
    const byKey = await t.call("POST", "/api/v1/webhooks", {
      headers: { authorization: `Bearer ${key.body.secret}` },
      body: { url: PUBLIC_URL, events: ["*"] },
    });
    expect(byKey.status).toBe(201);
    const [event] = await auditOf(team.tenant.id, "webhook.created");
    expect(event).toMatchObject({ actorType: "api_key", actorId: key.body.key.id });
  });

  test("the platform tenant has no webhooks", async () => {
    const root = await t.platformAdmin();
    const res = await t.call("POST", "/api/v1/webhooks", {
      token: root.accessToken,
      body: { url: PUBLIC_URL, events: ["*"] },
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("PLATFORM_WEBHOOKS");
  });
});

describe("reading, changing and deleting endpoints", () => {
  test("lists the tenant's endpoints a page at a time, never their secrets", async () => {
    const team = await newTeam();
    const ids = [(await register(team)).endpoint.id, (await register(team)).endpoint.id];
    const first = await t.call("GET", "/api/v1/webhooks?limit=1", { token: team.admin.accessToken });
    expect(first.status).toBe(200);
    expect(first.body.items.map((e: { id: string }) => e.id)).toEqual([ids[0]]);
    const second = await t.call("GET", `/api/v1/webhooks?limit=1&cursor=${first.body.nextCursor}`, {
      token: team.admin.accessToken,
    });
    expect(second.body).toMatchObject({ items: [{ id: ids[1] }], nextCursor: null });
    expect(JSON.stringify([first.body, second.body])).not.toContain("whsec_");
  });

  test("PATCH changes what it is given, rechecking URL and patterns; PUT replaces", async () => {
    const team = await newTeam();
    const { endpoint, secret } = await register(team, { description: "old" });
    const patched = await t.call("PATCH", `/api/v1/webhooks/${endpoint.id}`, {
      token: team.admin.accessToken,
      body: { events: ["flag.*"], enabled: false },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      events: ["flag.*"],
      enabled: false,
      description: "old",
      url: PUBLIC_URL,
    });
    const badUrl = await t.call("PATCH", `/api/v1/webhooks/${endpoint.id}`, {
      token: team.admin.accessToken,
      body: { url: "https://192.168.0.10/" },
    });
    expect(badUrl.body.code).toBe("WEBHOOK_TARGET_FORBIDDEN");
    const badEvent = await t.call("PATCH", `/api/v1/webhooks/${endpoint.id}`, {
      token: team.admin.accessToken,
      body: { events: ["nothing.*"] },
    });
    expect(badEvent.body.code).toBe("UNKNOWN_WEBHOOK_EVENT");
    const put = await t.call("PUT", `/api/v1/webhooks/${endpoint.id}`, {
      token: team.admin.accessToken,
      body: { url: "https://93.184.215.15/in", events: ["user.created"] },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      url: "https://93.184.215.15/in",
      events: ["user.created"],
      description: null,
      enabled: true,
    });
    expect((await storedSecrets(endpoint.id)).current).toBe(secret);
    const [event] = await auditOf(team.tenant.id, "webhook.updated");
    expect(event!.metadata).toMatchObject({ before: { description: "old" }, after: { events: ["flag.*"] } });
  });

  test("DELETE removes the endpoint and its messages; a second DELETE is 404", async () => {
    const team = await newTeam();
    const { endpoint } = await register(team);
    await t.call("POST", `/api/v1/webhooks/${endpoint.id}/test`, { token: team.admin.accessToken });
    const res = await t.call("DELETE", `/api/v1/webhooks/${endpoint.id}`, { token: team.admin.accessToken });
    expect(res.status).toBe(204);
    expect(await messagesOf(team.tenant.id)).toEqual([]);
    const again = await t.call("DELETE", `/api/v1/webhooks/${endpoint.id}`, {
      token: team.admin.accessToken,
    });
    expect(again.status).toBe(404);
    expect(await auditOf(team.tenant.id, "webhook.deleted")).toHaveLength(1);
  });

  test("another tenant's endpoint does not exist: 404 for every verb, absent from the list", async () => {
    const mine = await newTeam();
    const theirs = await newTeam();
    const { endpoint } = await register(mine);
    const token = theirs.admin.accessToken;
    const path = `/api/v1/webhooks/${endpoint.id}`;
    const answers = [
      await t.call("GET", path, { token }),
      await t.call("PATCH", path, { token, body: { enabled: false } }),
      await t.call("PUT", path, { token, body: { url: PUBLIC_URL, events: ["*"] } }),
      await t.call("POST", `${path}/rotate-secret`, { token }),
      await t.call("POST", `${path}/test`, { token }),
      await t.call("DELETE", path, { token }),
    ];
    expect(answers.map((a) => [a.status, a.body.code])).toEqual(Array(6).fill([404, "WEBHOOK_NOT_FOUND"]));
    const list = await t.call("GET", "/api/v1/webhooks", { token });
    expect(list.body.items).toEqual([]);
    const [row] = await t.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(row).toMatchObject({ enabled: true, url: PUBLIC_URL });
  });
});

describe("rotating the signing secret", () => {
  test("returns a new secret once; the old one keeps signing for 24 hours", async () => {
    const team = await newTeam();
    const { endpoint, secret: old } = await register(team);
    const res = await t.call("POST", `/api/v1/webhooks/${endpoint.id}/rotate-secret`, {
      token: team.admin.accessToken,
    });
    expect(res.status).toBe(200);
    const fresh = res.body.secret as string;
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(old);
    const { previousSecretExpiresAt, updatedAt } = res.body.endpoint;
    expect(Date.parse(previousSecretExpiresAt) - Date.parse(updatedAt)).toBe(24 * 3600 * 1000);
    const stored = await storedSecrets(endpoint.id);
    expect({ current: stored.current, previous: stored.previous }).toEqual({ current: fresh, previous: old });
    const read = await t.call("GET", `/api/v1/webhooks/${endpoint.id}`, { token: team.admin.accessToken });
    expect(JSON.stringify(read.body)).not.toContain("whsec_");
    const [event] = await auditOf(team.tenant.id, "webhook.secret_rotated");
    expect(JSON.stringify(event)).not.toContain(fresh);
  });
});

describe("events reach the outbox with the change they report", () => {
  test("a change enqueues one message per subscribed endpoint of its tenant, none for another tenant", async () => {
    const team = await newTeam();
    const other = await newTeam();
    const users = (await register(team, { events: ["user.*"] })).endpoint.id;
    await register(team, { events: ["flag.*"] });
    const elsewhere = (await register(other, { events: ["*"] })).endpoint.id;
    const before = (await messagesOf(other.tenant.id)).length;

    const created = await t.call("POST", "/api/v1/users", {
      token: team.admin.accessToken,
      body: { email: `${t.unique("hooked")}@example.com`, password: "Correct-Horse-9", role: "member" },
    });
    expect(created.status).toBe(201);

    const userMessages = (await messagesOf(team.tenant.id)).filter((m) => m.eventType === "user.created");
    expect(userMessages.map((m) => m.endpointId)).toEqual([users]);
    expect(userMessages[0]!.payload).toMatchObject({
      type: "user.created",
      data: {
        tenantId: team.tenant.id,
        actor: { type: "user", id: team.admin.id },
        resource: { id: created.body.id },
      },
    });
    const otherMessages = await messagesOf(other.tenant.id);
    expect(otherMessages).toHaveLength(before);
    expect(otherMessages.every((m) => m.endpointId === elsewhere && m.eventType.startsWith("webhook."))).toBe(
      true,
    );
  });

  test("a refused change enqueues nothing", async () => {
    const team = await newTeam();
    await register(team, { events: ["user.*"] });
    const email = `${t.unique("dup")}@example.com`;
    const body = { email, password: "Correct-Horse-9", role: "member" };
    expect((await t.call("POST", "/api/v1/users", { token: team.admin.accessToken, body })).status).toBe(201);
    const after = (await messagesOf(team.tenant.id)).length;
    expect((await t.call("POST", "/api/v1/users", { token: team.admin.accessToken, body })).status).toBe(409);
    expect(await messagesOf(team.tenant.id)).toHaveLength(after);
  });

  test("POST /test enqueues a webhook.test message for that endpoint only", async () => {
    const team = await newTeam();
    const target = (await register(team, { events: ["flag.created"] })).endpoint.id;
    const bystander = (await register(team, { events: ["*"] })).endpoint.id;
    const res = await t.call("POST", `/api/v1/webhooks/${target}/test`, { token: team.admin.accessToken });
    expect(res.status).toBe(202);
    expect(res.body.messageId).toMatch(/^msg_[0-9a-f-]{36}$/);
    const tests = (await messagesOf(team.tenant.id)).filter((m) => m.eventType === "webhook.test");
    expect(tests.map((m) => [m.id, m.endpointId])).toEqual([[res.body.messageId.slice(4), target]]);
    expect(tests[0]!.payload).toMatchObject({ type: "webhook.test", data: { endpointId: target } });
    const toBystander = (await messagesOf(team.tenant.id)).filter(
      (m) => m.endpointId === bystander && m.eventType.startsWith("webhook.test"),
    );
    expect(toBystander).toEqual([]);
  });

  test("a turned-off endpoint gets no events and refuses a test with 409", async () => {
    const team = await newTeam();
    const { endpoint } = await register(team, { events: ["user.*"], enabled: false });
    await t.call("POST", "/api/v1/users", {
      token: team.admin.accessToken,
      body: { email: `${t.unique("off")}@example.com`, password: "Correct-Horse-9", role: "member" },
    });
    expect(await messagesOf(team.tenant.id)).toEqual([]);
    const res = await t.call("POST", `/api/v1/webhooks/${endpoint.id}/test`, {
      token: team.admin.accessToken,
    });
    expect([res.status, res.body.code]).toEqual([409, "WEBHOOK_DISABLED"]);
  });
});
