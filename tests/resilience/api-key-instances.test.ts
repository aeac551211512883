import { afterEach, describe, expect, test } from "bun:test";
import { isolatedDatabaseEnv, testRedisUrl } from "../support/resources";
import { killServers, startServer } from "../support/server-process";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const redisUrl = await testRedisUrl();
const shared = Boolean(process.env.TEST_DATABASE_URL && redisUrl);
if (!shared)
  console.info(
    "API key instance tests skipped: they need PostgreSQL and Redis (TEST_DATABASE_URL, TEST_REDIS_URL)",
  );
afterEach(killServers);

const ADMIN = { email: "admin@example.com", password: "Api-Key-Instances-Admin-1" };
const PASSWORD = "Correct-Horse-Battery-9";

function client(url: string) {
  return async (method: string, path: string, body?: unknown, token?: string) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers["content-type"] = "application/json";
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
}

describe("API keys on two instances sharing PostgreSQL and Redis", () => {
  test.if(shared)(
    "a key revoked, or its tenant suspended, through A is refused by B at once, though B had it cached",
    async () => {
      const env = {
        ...(await isolatedDatabaseEnv()),
        REDIS_URL: redisUrl!,
        CACHE_KEY_PREFIX: `api-keys-${Bun.randomUUIDv7()}:`,
        BCRYPT_COST: "4",
        ADMIN_PASSWORD: ADMIN.password,
        JWT_SECRET: "api-key-instances-secret-that-is-long-enough-0123456789",
        RATE_LIMIT_IP_LIMIT: "1000",
      };
      const a = startServer(env);
      const onA = client(await a.url());
      const b = startServer(env);
      const onB = client(await b.url());

      const root = (await onA("POST", "/api/v1/auth/login", ADMIN)).body.accessToken as string;
      const slug = `keys-${Date.now().toString(36)}`;
      const tenant = (await onA("POST", "/api/v1/tenants", { name: "Keys", slug }, root)).body;
      const email = `admin@${slug}.example.com`;
      const created = await onA(
        "POST",
        `/api/v1/tenants/${tenant.id}/users`,
        { email, password: PASSWORD, role: "admin" },
        root,
      );
      expect(created.status).toBe(201);
      const admin = (await onA("POST", "/api/v1/auth/login", { email, password: PASSWORD, tenant: slug }))
        .body.accessToken as string;
      const newKey = async () =>
        (await onA("POST", "/api/v1/api-keys", { name: "ci", permissions: ["users:read"] }, admin)).body;

      const revoked = await newKey();
      for (let i = 0; i < 2; i++)
        expect((await onB("GET", "/api/v1/users", undefined, revoked.secret)).status).toBe(200);
      expect((await onA("DELETE", `/api/v1/api-keys/${revoked.key.id}`, undefined, admin)).status).toBe(204);
      const afterRevoke = await onB("GET", "/api/v1/users", undefined, revoked.secret);
      expect([afterRevoke.status, afterRevoke.body.code]).toEqual([401, "INVALID_API_KEY"]);

      const live = await newKey();
      expect((await onB("GET", "/api/v1/users", undefined, live.secret)).status).toBe(200);
      expect((await onA("POST", `/api/v1/tenants/${tenant.id}/suspend`, {}, root)).status).toBe(200);
      const afterSuspend = await onB("GET", "/api/v1/users", undefined, live.secret);
      expect([afterSuspend.status, afterSuspend.body.code]).toEqual([401, "INVALID_API_KEY"]);
    },
  );
});
