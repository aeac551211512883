import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { Elysia } from "elysia";
import { auditEvents } from "../../src/adapters/db/schema";
import { createHttpMetrics } from "../../src/adapters/metrics/prometheus-http-metrics";
import { errorsPlugin } from "../../src/http/plugins/errors";
import { unleashKeyPlugin } from "../../src/http/plugins/unleash-key";
import { type TestApp, testApp } from "../support/app";
import { silentLogger } from "../support/logger";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const LIMIT = 3;
let t: TestApp;
let unleash: { handle(request: Request): Promise<Response> };
beforeAll(async () => {
  t = await testApp({ env: { RATE_LIMIT_API_KEY_LIMIT: String(LIMIT) } });
  // A stand-in for the Unleash routes: what the macro hands a route.
  unleash = new Elysia()
    .use(errorsPlugin(silentLogger, createHttpMetrics(), String))
    .use(unleashKeyPlugin({ authenticateApiKey: t.useCases.authenticateApiKey }))
    .get(
      "/client",
      ({ apiKey, tenant, acting }) => ({
        key: apiKey.id,
        tenant: tenant.id,
        actor: acting.principal.apiKey!.id,
      }),
      {
        unleashKey: "client",
      },
    )
    .get("/frontend", ({ apiKey }) => ({ origins: apiKey.allowedOrigins }), { unleashKey: "frontend" });
});

async function keyOf(kind: "api" | "client" | "frontend", extra: Record<string, unknown> = {}) {
  const team = await t.team();
  const res = await t.call("POST", "/api/v1/api-keys", {
    token: team.admin.accessToken,
    body: { name: kind, kind, ...extra },
  });
  if (res.status !== 201) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return { team, key: res.body.key as { id: string }, secret: res.body.secret as string };
}

const get = async (path: string, authorization?: string) => {
  const response = await unleash.handle(
    new Request(`http://localhost${path}`, { headers: authorization ? { authorization } : {} }),
  );
  return { status: response.status, body: (await response.json()) as Record<string, any> };
};

describe("the unleashKey macro", () => {
  test("takes a client key bare (as Unleash SDKs send it) or after Bearer, and hands over key, tenant and actor", async () => {
    const { team, key, secret } = await keyOf("client");
    for (const header of [secret, `Bearer ${secret}`]) {
      const res = await get("/client", header);
      expect(res).toEqual({ status: 200, body: { key: key.id, tenant: team.tenant.id, actor: key.id } });
    }
  });

  test("a frontend key sees its allowed origins", async () => {
    const { secret } = await keyOf("frontend", { allowedOrigins: ["https://app.example.com"] });
    expect((await get("/frontend", secret)).body).toEqual({ origins: ["https://app.example.com"] });
  });

  test("a live key of another kind: 403 API_KEY_KIND (a frontend key on the client API, an api key)", async () => {
    const frontend = await keyOf("frontend");
    const api = await keyOf("api");
    const client = await keyOf("client");
    for (const [path, secret] of [
      ["/client", frontend.secret],
      ["/client", api.secret],
      ["/frontend", client.secret],
    ] as const) {
      const res = await get(path, secret);
      expect([res.status, res.body.code]).toEqual([403, "API_KEY_KIND"]);
    }
  });

  test("no key, a malformed one, an unknown one, a revoked one: 401 INVALID_API_KEY", async () => {
    const { team, key, secret } = await keyOf("client");
    await t.call("DELETE", `/api/v1/api-keys/${key.id}`, { token: team.admin.accessToken });
    for (const header of [undefined, "Basic abc", `ck_${"A".repeat(54)}`, secret]) {
      const res = await get("/client", header);
      expect([res.status, res.body.code]).toEqual([401, "INVALID_API_KEY"]);
    }
  });
});

describe("the per-key rate limit", () => {
  test(`past RATE_LIMIT_API_KEY_LIMIT (${LIMIT}) a minute: 429 problem+json with Retry-After, audited as the key's; other keys unaffected`, async () => {
    const { team, key, secret } = await keyOf("api", { permissions: ["users:read"] });
    const call = (token: string) => t.call("GET", "/api/v1/users", { token });
    for (let i = 0; i < LIMIT; i++) expect((await call(secret)).status).toBe(200);
    const refused = await call(secret);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused.body.code).toBe("RATE_LIMITED");
    expect(refused.headers.get("ratelimit-limit")).toBe(String(LIMIT));
    const trips = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, team.tenant.id), eq(auditEvents.action, "abuse.rate_limited")));
    expect(trips).toHaveLength(1);
    expect(trips[0]).toMatchObject({
      actorType: "api_key",
      actorId: key.id,
      resourceId: "api_key",
      outcome: "denied",
      metadata: { scope: "caller" },
    });
    const other = await keyOf("api", { permissions: ["users:read"] });
    expect((await call(other.secret)).status).toBe(200);
  });
});

describe("guessing keys", () => {
  test("lookups of keys no cache knows count against the caller's address (RATE_LIMIT_IP_LIMIT): guesses end in 429, a cached key still works", async () => {
    const guarded = await testApp({ env: { RATE_LIMIT_IP_LIMIT: "3" } });
    const { secret } = await keyOf("api", { permissions: ["users:read"] });
    const call = (token: string) => guarded.call("GET", "/api/v1/users", { token });
    expect((await call(secret)).status).toBe(200);
    const guess = () => call(`sk_${crypto.randomUUID().replaceAll("-", "").padEnd(54, "x")}`);
    expect((await guess()).status).toBe(401);
    expect((await guess()).status).toBe(401);
    const refused = await guess();
    expect([refused.status, refused.body.code]).toEqual([429, "RATE_LIMITED"]);
    expect((await call(secret)).status).toBe(200);
  });
});
