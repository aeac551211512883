import { beforeAll, describe, expect, test } from "bun:test";
import { tenantScope } from "../../src/core/domain/data-scope";
import { TEST_PASSWORD, type TestApp, testApp } from "../support/app";
import { promtoolCheck, sampleValue } from "../support/metrics";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const METRICS_TOKEN = "metrics-token-for-tests-0123456789";

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ env: { METRICS_TOKEN, LOGIN_LOCKOUT_THRESHOLD: "2" } });
});

async function scrape(): Promise<string> {
  const res = await t.call("GET", "/metrics", { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toStartWith("text/plain");
  return res.body as string;
}

/** How much each named sample moved while `action` ran. */
async function movement(
  samples: Record<string, [string, Record<string, string>?]>,
  action: () => Promise<unknown>,
) {
  const before = await scrape();
  await action();
  const after = await scrape();
  return Object.fromEntries(
    Object.entries(samples).map(([alias, [name, labels]]) => [
      alias,
      sampleValue(after, name, labels) - sampleValue(before, name, labels),
    ]),
  );
}

describe("GET /metrics", () => {
  test("is refused without the METRICS_TOKEN, and with another token", async () => {
    expect((await t.call("GET", "/metrics")).status).toBe(401);
    expect((await t.call("GET", "/metrics", { token: "not-the-metrics-token-0123456789" })).status).toBe(401);
  });

  test("passes promtool check metrics after traffic", async () => {
    const { admin } = await t.team();
    await t.call("GET", "/api/v1/users/me", { token: admin.accessToken });
    await t.call("GET", `/api/v1/users/${crypto.randomUUID()}`, { token: admin.accessToken });
    await t.call("POST", "/api/v1/auth/login", {
      body: { email: admin.email, password: "wrong", tenant: "nope" },
    });
    const exposition = await scrape();
    const checked = await promtoolCheck(exposition);
    if (!checked) {
      if (process.env.REQUIRE_PROMTOOL === "1")
        throw new Error("promtool is not installed (REQUIRE_PROMTOOL=1)");
      console.warn("skipped: promtool is not installed (Debian: apt-get install prometheus)");
      return;
    }
    expect(checked.output).toBe("");
    expect(checked.exitCode).toBe(0);
  });
});

/** Scrapes until `sample` reads at least `atLeast` (the event is counted after the response). */
async function eventually(name: string, labels: Record<string, string>, atLeast: number) {
  const deadline = Date.now() + 2_000;
  let value = sampleValue(await scrape(), name, labels);
  while (value < atLeast && Date.now() < deadline) {
    await Bun.sleep(10);
    value = sampleValue(await scrape(), name, labels);
  }
  return value;
}

describe("HTTP metrics", () => {
  test("requests are counted by method, route template and status code; the raw path never appears", async () => {
    const { admin } = await t.team();
    const id = crypto.randomUUID();
    const labels = { method: "GET", route: "/api/v1/users/:id", status_code: "404" };
    const before = await scrape();
    const res = await t.call("GET", `/api/v1/users/${id}`, { token: admin.accessToken });
    expect(res.status).toBe(404);
    const counted = sampleValue(before, "http_requests_total", labels) + 1;
    expect(await eventually("http_requests_total", labels, counted)).toBe(counted);
    const after = await scrape();
    expect(sampleValue(after, "http_request_duration_seconds_count", labels)).toBe(counted);
    expect(after).not.toContain(id);
    expect(after).not.toMatch(/status="/);
  });
});

describe("domain metrics", () => {
  const signIns = (outcome: string) =>
    ["auth_sign_ins_total", { outcome }] as [string, Record<string, string>];

  test("sign-ins are counted by outcome: failures, then a refusal while locked, then a success", async () => {
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    const attempt = (password: string) =>
      t.call("POST", "/api/v1/auth/login", { body: { email: user.email, password, tenant: tenant.slug } });
    const moved = await movement(
      { success: signIns("success"), failure: signIns("failure"), locked: signIns("locked") },
      async () => {
        expect((await attempt("wrong-password-1")).status).toBe(401);
        expect((await attempt("wrong-password-2")).status).toBe(401);
        expect((await attempt(TEST_PASSWORD)).status).toBe(429);
        const other = await t.createUser(tenant.id);
        await t.login(tenant.slug, other.email);
      },
    );
    expect(moved).toEqual({ success: 1, failure: 2, locked: 1 });
  });

  test("audit appends are counted by outcome once committed; a rolled-back append is not", async () => {
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    const appended = (outcome: string) =>
      ["audit_events_appended_total", { outcome }] as [string, Record<string, string>];
    const moved = await movement({ success: appended("success"), failure: appended("failure") }, async () => {
      await t.login(tenant.slug, user.email);
      const refused = await t.call("POST", "/api/v1/auth/login", {
        body: { email: user.email, password: "wrong-password", tenant: tenant.slug },
      });
      expect(refused.status).toBe(401);
    });
    expect(moved).toEqual({ success: 1, failure: 1 });

    const rolledBack = await movement({ success: appended("success") }, async () => {
      const origin = { ip: null, userAgent: null, requestId: "metrics-test" };
      const event = {
        tenantId: tenant.id,
        actor: { type: "system" as const, id: null, display: "test" },
        action: "test.rolled_back",
        resource: { type: "tenant", id: tenant.id },
        outcome: "success" as const,
      };
      await expect(
        t.uow.transaction(tenantScope(tenant.id), async (repos) => {
          await repos.audit.append(event, origin);
          throw new Error("roll back");
        }),
      ).rejects.toThrow("roll back");
    });
    expect(rolledBack).toEqual({ success: 0 });
  });

  test("flag evaluations are counted by result: enabled, disabled, not found", async () => {
    const { admin } = await t.team();
    const on = t.unique("on");
    const off = t.unique("off");
    for (const [key, enabled] of [
      [on, true],
      [off, false],
    ] as const) {
      expect((await t.api(admin.accessToken).features.post({ key, enabled })).status).toBe(201);
    }
    const result = (value: string) =>
      ["feature_flag_evaluations_total", { result: value }] as [string, Record<string, string>];
    const moved = await movement(
      { enabled: result("enabled"), disabled: result("disabled"), notFound: result("not_found") },
      async () => {
        const res = await t
          .api(admin.accessToken)
          .features.evaluate.post({ keys: [on, off, t.unique("gone")] });
        expect(res.status).toBe(200);
      },
    );
    expect(moved).toEqual({ enabled: 1, disabled: 1, notFound: 1 });
  });

  test("cache reads are counted as hits and misses by keyspace", async () => {
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    const tenantReads = {
      hits: ["cache_hits_total", { keyspace: "tenant" }],
      misses: ["cache_misses_total", { keyspace: "tenant" }],
    } satisfies Record<string, [string, Record<string, string>]>;
    const first = await movement(tenantReads, () => t.login(tenant.slug, user.email));
    expect(first.misses).toBeGreaterThanOrEqual(1);
    const second = await movement(tenantReads, () => t.login(tenant.slug, user.email));
    expect(second).toMatchObject({ misses: 0 });
    expect(second.hits).toBeGreaterThanOrEqual(1);
  });

  test("a mail handed to the mailer is counted as sent", async () => {
    const tenant = await t.createTenant();
    const user = await t.createUser(tenant.id);
    const before = sampleValue(await scrape(), "mail_sends_total", { outcome: "sent" });
    const res = await t.call("POST", "/api/v1/auth/forgot-password", {
      body: { email: user.email, tenant: tenant.slug },
    });
    expect(res.status).toBe(202);
    await t.mail.waitFor(user.email);
    expect(await eventually("mail_sends_total", { outcome: "sent" }, before + 1)).toBe(before + 1);
  });

  test("database connections in use count a transaction while it holds its connection", async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let opened = () => {};
    const open = new Promise<void>((resolve) => {
      opened = resolve;
    });
    const transaction = t.db.transaction(async () => {
      opened();
      await held;
    });
    await open;
    const during = await scrape();
    release();
    await transaction;
    const after = await scrape();
    // postgres.js: the pool size the harness opened; PGlite: its one connection.
    const size = t.database.driver === "pglite" ? 1 : t.database.poolUsage().size;
    expect(sampleValue(during, "db_pool_connections_max")).toBe(size);
    expect(sampleValue(during, "db_pool_connections_in_use")).toBe(1);
    expect(sampleValue(during, "db_operations_in_flight")).toBe(1);
    expect(sampleValue(after, "db_pool_connections_in_use")).toBe(0);
  });
});

describe("runtime metrics", () => {
  test("report the process and the Bun runtime truthfully", async () => {
    const lagSamples = await eventually("bun_event_loop_lag_seconds_count", {}, 1);
    expect(lagSamples).toBeGreaterThanOrEqual(1);
    const exposition = await scrape();
    const value = (name: string) => sampleValue(exposition, name);
    expect(value("process_resident_memory_bytes")).toBeGreaterThan(10_000_000);
    expect(value("bun_jsc_heap_size_bytes")).toBeGreaterThan(value("bun_jsc_extra_memory_bytes"));
    expect(value("process_cpu_seconds_total")).toBeCloseTo(
      value("process_cpu_user_seconds_total") + value("process_cpu_system_seconds_total"),
      6,
    );
    expect(
      Math.abs(value("process_start_time_seconds") - (Date.now() / 1000 - process.uptime())),
    ).toBeLessThan(5);
    expect(exposition).not.toContain("nodejs_");
  });
});
