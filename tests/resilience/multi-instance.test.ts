import { afterEach, describe, expect, test } from "bun:test";
import { isolatedDatabaseEnv, testRedisUrl } from "../support/resources";
import { killServers, type ServerProcess, startServer } from "../support/server-process";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const redisUrl = await testRedisUrl();
const shared = Boolean(process.env.TEST_DATABASE_URL && redisUrl);
if (!shared)
  console.info(
    "multi-instance tests skipped: they need PostgreSQL and Redis (TEST_DATABASE_URL, TEST_REDIS_URL)",
  );
afterEach(killServers);

const ADMIN = { email: "admin@example.com", password: "Multi-Instance-Admin-1" };
const PASSWORD = "Correct-Horse-Battery-9";
const CLEANUP_SECONDS = 2;

type Call = (
  method: string,
  path: string,
  body?: unknown,
  token?: string,
) => Promise<{ status: number; body: any }>;

function client(url: string): Call {
  return async (method, path, body, token) => {
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

async function twoInstances(): Promise<[ServerProcess, ServerProcess]> {
  const env = {
    ...(await isolatedDatabaseEnv()),
    REDIS_URL: redisUrl!,
    CACHE_KEY_PREFIX: `multi-${Bun.randomUUIDv7()}:`,
    BCRYPT_COST: "4",
    ADMIN_PASSWORD: ADMIN.password,
    JWT_SECRET: "multi-instance-secret-that-is-long-enough-0123456789",
    RATE_LIMIT_IP_LIMIT: "1000",
    RATE_LIMIT_ACCOUNT_LIMIT: "3",
    REFRESH_TOKEN_CLEANUP_INTERVAL_SECONDS: String(CLEANUP_SECONDS),
  };
  const a = startServer(env);
  await a.url(); // A migrates and seeds first; B then finds both done
  const b = startServer(env);
  await b.url();
  return [a, b];
}

describe("two instances on one PostgreSQL and one Redis", () => {
  test.if(shared)(
    "revocations, suspensions and flag changes through A hold on B at once; limits and the cleanup job are shared",
    async () => {
      const [a, b] = await twoInstances();
      const onA = client(await a.url());
      const onB = client(await b.url());
      const root = (await onA("POST", "/api/v1/auth/login", ADMIN)).body.accessToken as string;
      const slug = `multi-${Date.now().toString(36)}`;
      const tenant = (await onA("POST", "/api/v1/tenants", { name: "Multi", slug }, root)).body;
      const email = `member@${slug}.example.com`;
      const created = await onA(
        "POST",
        `/api/v1/tenants/${tenant.id}/users`,
        { email, password: PASSWORD },
        root,
      );
      expect(created.status).toBe(201);
      const signIn = async () =>
        (await onA("POST", "/api/v1/auth/login", { email, password: PASSWORD, tenant: slug })).body
          .accessToken as string;

      // A session revoked through A is refused by B on its next request.
      const session = await signIn();
      expect((await onB("GET", "/api/v1/users/me", undefined, session)).status).toBe(200);
      expect((await onA("POST", "/api/v1/auth/logout", undefined, session)).status).toBe(204);
      expect((await onB("GET", "/api/v1/users/me", undefined, session)).status).toBe(401);

      // A flag changed through A evaluates changed on B.
      const member = await signIn();
      const key = `multi-${Date.now().toString(36)}`;
      const flag = (await onA("POST", "/api/v1/features", { key, platform: true, enabled: false }, root))
        .body;
      const evaluateOnB = async () =>
        (await onB("POST", "/api/v1/features/evaluate", { key }, member)).body.items[0].enabled as boolean;
      expect(await evaluateOnB()).toBe(false);
      expect((await onA("PUT", `/api/v1/features/${flag.id}`, { enabled: true }, root)).status).toBe(200);
      expect(await evaluateOnB()).toBe(true);

      // Rate limits count across both: 3 attempts per account, whichever instance takes them.
      const attempt = (call: Call) =>
        call("POST", "/api/v1/auth/login", {
          email: `victim@${slug}.example.com`,
          password: "wrong",
          tenant: slug,
        });
      const statuses = [
        (await attempt(onA)).status,
        (await attempt(onB)).status,
        (await attempt(onA)).status,
        (await attempt(onB)).status,
      ];
      expect(statuses).toEqual([401, 401, 401, 429]);

      // A tenant suspended through A is refused by B at once.
      expect((await onB("GET", "/api/v1/users/me", undefined, member)).status).toBe(200);
      expect((await onA("POST", `/api/v1/tenants/${tenant.id}/suspend`, {}, root)).status).toBe(200);
      const refused = await onB("GET", "/api/v1/users/me", undefined, member);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe("TENANT_INACTIVE");

      // The cleanup job runs once per interval, on one instance or the other, never both.
      await Bun.sleep(CLEANUP_SECONDS * 3 * 1000);
      const runs = [...a.lines, ...b.lines]
        .filter((line) => line.includes('"job.purge_expired"'))
        .map((line) => Date.parse(JSON.parse(line).time))
        .sort((x, y) => x - y);
      expect(runs.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < runs.length; i++) {
        expect(runs[i]! - runs[i - 1]!).toBeGreaterThanOrEqual(CLEANUP_SECONDS * 1000 - 50);
      }
      const skipped = [...a.lines, ...b.lines].filter((l) => l.includes('"job.purge_expired.skipped"'));
      expect(skipped.length).toBeGreaterThanOrEqual(1);
    },
    60_000,
  );
});
