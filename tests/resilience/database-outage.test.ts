import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { isolatedDatabaseEnv } from "../support/resources";
import { killServers, startServer } from "../support/server-process";
import { allowDatabaseStartup } from "../support/slow-setup";
import { tcpProxy } from "../support/tcp-proxy";

allowDatabaseStartup();

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
if (!onPostgres) console.info("PostgreSQL outage test skipped: it needs PostgreSQL (set TEST_DATABASE_URL)");
afterEach(killServers);

async function until(condition: () => Promise<boolean>, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await Bun.sleep(100);
  }
}

describe("PostgreSQL restarts", () => {
  test.if(onPostgres)(
    "requests fail fast with 503 DATABASE_UNAVAILABLE, readiness goes false, and the app recovers without a restart",
    async () => {
      const database = new URL((await isolatedDatabaseEnv()).DATABASE_URL!);
      const proxy = await tcpProxy({ hostname: database.hostname, port: Number(database.port || 5432) });
      afterAll(() => proxy.close());
      database.hostname = "127.0.0.1";
      database.port = String(proxy.port);
      const server = startServer({
        DATABASE_URL: database.toString(),
        DB_CONNECT_TIMEOUT_SECONDS: "2",
        BCRYPT_COST: "4",
        ADMIN_PASSWORD: "Outage-Admin-Password-1",
      });
      const url = await server.url();
      const login = await fetch(`${url}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "admin@example.com", password: "Outage-Admin-Password-1" }),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };
      const listUsers = () =>
        fetch(`${url}/api/v1/users`, { headers: { authorization: `Bearer ${accessToken}` } });
      expect((await listUsers()).status).toBe(200);

      proxy.cut();
      const started = performance.now();
      const during = await listUsers();
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(during.status).toBe(503);
      expect(during.headers.get("retry-after")).toBe("5");
      expect(((await during.json()) as { code: string }).code).toBe("DATABASE_UNAVAILABLE");
      const ready = await fetch(`${url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        status: "unavailable",
        checks: { database: { status: "down" } },
      });

      proxy.restore();
      await until(async () => (await listUsers()).status === 200);
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);
      expect(server.exitCode).toBeNull();
    },
    60_000,
  );
});
