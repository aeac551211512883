import { afterAll, describe, expect, test } from "bun:test";
import { testApp } from "../support/app";
import { testRedisUrl } from "../support/resources";
import { allowDatabaseStartup } from "../support/slow-setup";
import { tcpProxy } from "../support/tcp-proxy";

allowDatabaseStartup();

const redisUrl = await testRedisUrl();
if (!redisUrl) console.info("Redis outage test skipped: it needs Redis (set TEST_REDIS_URL)");

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await Bun.sleep(50);
  }
}

describe("Redis stops while serving", () => {
  test.if(Boolean(redisUrl))(
    "requests succeed from the database, readiness is degraded, limits go per instance, and all recovers",
    async () => {
      const target = new URL(redisUrl!);
      const proxy = await tcpProxy({ hostname: target.hostname, port: Number(target.port || 6379) });
      afterAll(() => proxy.close());
      const t = await testApp({
        env: {
          REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
          RATE_LIMIT_IP_LIMIT: "3",
          RATE_LIMIT_IP_WINDOW_SECONDS: "60",
        },
      });
      const tenant = await t.createTenant();
      const user = await t.createUser(tenant.id);
      const kept = await t.login(tenant.slug, user.email);
      const revoked = await t.login(tenant.slug, user.email);
      const me = (token: string) => t.api(token).users.me.get();
      const readiness = () => t.client().health.ready.get();
      expect((await me(kept.accessToken)).status).toBe(200);
      expect((await me(revoked.accessToken)).status).toBe(200); // both sessions now cached as live

      proxy.cut();
      for (let i = 0; i < 3; i++) expect((await me(kept.accessToken)).status).toBe(200);
      const ready = await readiness();
      expect(ready.status).toBe(200);
      expect(ready.data).toMatchObject({ status: "degraded", checks: { cache: { status: "down" } } });
      expect(t.logger.lines.filter((l) => l.event === "redis.unavailable")).toHaveLength(1);

      // Revoked while Redis cannot hear of it: the cached "live" state must not outlive the outage.
      const logout = await t.api(revoked.accessToken).auth.logout.post();
      expect(logout.status).toBe(204);
      expect((await me(revoked.accessToken)).status).toBe(401);

      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await t.api().auth.login.post({
          email: `nobody-${i}@example.com`,
          password: "wrong-password",
          tenant: tenant.slug,
        });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429]); // the per-instance limiter stood in

      proxy.restore();
      await until(async () => (await readiness()).data?.status === "ready");
      expect(await t.logger.waitFor((l) => l.event === "redis.recovered", 5_000)).toBeDefined();
      expect(await t.logger.waitFor((l) => l.event === "cache.flushed_after_outage", 5_000)).toBeDefined();
      expect((await me(kept.accessToken)).status).toBe(200);
      expect((await me(revoked.accessToken)).status).toBe(401);
    },
    30_000,
  );
});
