/**
 * Per-request cost of the app's hot endpoints without sockets: `app.handle()` in a loop, one at a
 * time, against real PostgreSQL and Redis (warm caches). For finding where a request's time goes;
 * the load benchmark (bench/load.ts) is the number that counts.
 *
 *   bun bench/in-process.ts          (BENCH_DATABASE_URL, BENCH_REDIS_URL as in bench/load.ts)
 */
import { openSync, writeSync } from "node:fs";
import { Elysia } from "elysia";
import postgres from "postgres";
import { migrate } from "../src/adapters/db/migrate";
import { repositories } from "../src/adapters/db/unit-of-work";
import { bufferedLines, jsonLogger } from "../src/adapters/system/json-logger";
import { openEphemeralStore } from "../src/composition/ephemeral-store";
import { openDatabase } from "../src/composition/open-database";
import { composeServer as compose } from "../src/composition/server";
import { loadConfig } from "../src/config";
import type { Acting } from "../src/core/domain/acting";
import { silentLogger } from "../tests/support/logger";
import { sampleFlag } from "./sample-flag";
import { scratchDatabase } from "./scratch-database";
import { FRONTEND_QUERY } from "./seed-keys";
import { adminActing, auditedWrite, subscribeToFlags } from "./write-fixtures";

const scratch = await scratchDatabase("saas_inproc");
const { admin, name: dbName } = scratch;

const config = loadConfig({
  DATABASE_URL: scratch.url,
  REDIS_URL: process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379",
  CACHE_KEY_PREFIX: `inproc:${process.pid}:`,
  JWT_SECRET: "in-process-bench-secret-long-enough-0123456789",
  BCRYPT_COST: "4",
  LOG_LEVEL: "warn",
  RATE_LIMIT_IP_LIMIT: "1000000",
  RATE_LIMIT_ACCOUNT_LIMIT: "1000000",
  RATE_LIMIT_API_KEY_LIMIT: "1000000",
});
const database = await openDatabase(config.database);
await migrate(database);
const store = openEphemeralStore(config, silentLogger);
await store.ready(2_000);
const composition = compose(config, { database, store, logger: silentLogger });
const { app, useCases, ids, hasher, uow } = composition;
const repos = repositories(database.db, composition.clock, ids); // fixtures, as the connecting user
await useCases.seedPlatform({ adminEmail: "admin@example.com", adminPassword: "Bench-Admin-Password-2026" });
const tenant = await repos.tenants.create({ id: ids.next(), name: "Bench", slug: "bench", plan: "pro" });
const email = "member@bench.example.com";
await repos.users.create({
  id: ids.next(),
  tenantId: tenant.id,
  email,
  passwordHash: await hasher.hash("Bench-Password-2026"),
  role: "member",
});
const peers = await hasher.hash("Peer-Password-2026");
for (let i = 0; i < 199; i++) {
  await repos.users.create({
    id: ids.next(),
    tenantId: tenant.id,
    email: `peer-${i}@bench.example.com`,
    passwordHash: peers,
    role: "member",
  });
}
const login = await app.handle(
  new Request("http://localhost/api/v1/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ tenant: "bench", email, password: "Bench-Password-2026" }),
  }),
);
const { accessToken } = (await login.json()) as { accessToken: string };
const auth = { authorization: `Bearer ${accessToken}` };
await useCases.manageFlags.create(
  {
    principal: { userId: "bench", tenantId: tenant.id, sessionId: "x", role: "admin" },
    home: tenant,
    tenant,
    origin: { ip: null, userAgent: null, requestId: null },
  },
  { key: "f1", enabled: true, strategies: [{ name: "flexibleRollout", parameters: { rollout: "50" } }] },
);

// A write and an uncached read: what row-level security adds to (issue 18).
const adminEmail = "writer@bench.example.com";
await repos.users.create({
  id: ids.next(),
  tenantId: tenant.id,
  email: adminEmail,
  passwordHash: await hasher.hash("Bench-Password-2026"),
  role: "admin",
});
const adminLogin = await app.handle(
  new Request("http://localhost/api/v1/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ tenant: "bench", email: adminEmail, password: "Bench-Password-2026" }),
  }),
);
const adminAuth = {
  authorization: `Bearer ${((await adminLogin.json()) as { accessToken: string }).accessToken}`,
};
const writtenFlag = (await (
  await app.handle(
    new Request("http://localhost/api/v1/features", {
      method: "POST",
      headers: { ...adminAuth, "content-type": "application/json" },
      body: JSON.stringify({ key: "written", enabled: true, strategies: [] }),
    }),
  )
).json()) as { id: string };
/** An admin's acting context in `home`, for setting up keys, flags and webhooks through the use cases. */
async function adminOf(slug: string): Promise<Acting> {
  const home =
    slug === "bench" ? tenant : await repos.tenants.create({ id: ids.next(), name: slug, slug, plan: "pro" });
  return adminActing(repos, ids, home, peers);
}
const benchAdmin = await adminOf("bench");
const { secret: apiKeySecret } = await useCases.createApiKey(benchAdmin, {
  name: "bench",
  kind: "api",
  permissions: ["flags:read"],
});
const apiKeyAuth = { authorization: `Bearer ${apiKeySecret}` };

// The load benchmark's flag shapes (bench/seed-dataset.ts): a tenant of 50 sample flags read by a
// member (evaluate one key, or all 50) and by a `ck_` key (client API, with and without its ETag),
// and a tenant of 20 read by an `fk_` key (frontend API).
async function sampleTenant(slug: string, keys: string[]) {
  const acting = await adminOf(slug);
  for (const key of keys) {
    const { key: _, name: __, type: ___, ...flag } = sampleFlag(key, ["free", "pro", "enterprise"]);
    await useCases.manageFlags.create(acting, { key, ...flag });
  }
  return acting;
}
const flags50 = await sampleTenant(
  "flags50",
  Array.from({ length: 50 }, (_, i) => `flag-${String(i).padStart(2, "0")}`),
);
await repos.users.create({
  id: ids.next(),
  tenantId: flags50.home.id,
  email: "member@flags50.example.com",
  passwordHash: await hasher.hash("Bench-Password-2026"),
  role: "member",
});
const flags50Auth = {
  authorization: `Bearer ${
    (
      (await (
        await app.handle(
          new Request("http://localhost/api/v1/auth/login", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              tenant: "flags50",
              email: "member@flags50.example.com",
              password: "Bench-Password-2026",
            }),
          }),
        )
      ).json()) as { accessToken: string }
    ).accessToken
  }`,
};
const { secret: clientKey } = await useCases.createApiKey(flags50, { name: "client", kind: "client" });
const clientEtag = (
  await app.handle(
    new Request("http://localhost/api/client/features", { headers: { authorization: clientKey } }),
  )
).headers.get("etag");
if (!clientEtag) throw new Error("client features: no ETag");
const frontendTenant = await sampleTenant(
  "frontend",
  Array.from({ length: 20 }, (_, i) => `frontend-${String(i).padStart(2, "0")}`),
);
const { secret: frontendKey } = await useCases.createApiKey(frontendTenant, {
  name: "frontend",
  kind: "frontend",
});

// Two tenants with the same flag, one with a webhook endpoint subscribed to flag changes: the same
// write with and without an outbox message. The endpoint is stored directly (its URL is never called:
// no delivery worker runs here).
async function flagWriter(slug: string) {
  const acting = await adminOf(slug);
  const flag = await useCases.manageFlags.create(acting, { key: "w1", enabled: true, strategies: [] });
  let n = 0;
  const write = () =>
    useCases.manageFlags.update(acting, { id: flag.id, patch: { description: `change ${n++}` } });
  return { tenantId: acting.home.id, write };
}
const { write: writeUnsubscribed, tenantId: plainId } = await flagWriter("plain");
const { write: writeSubscribed, tenantId: hookedId } = await flagWriter("hooked");
await subscribeToFlags(repos, ids, hookedId);
// Stored behind the use cases' back: forget the tenant's cached (empty) list of subscribers.
await store.cache.delete(`webhook-subscribers:${hookedId}`);
const benchDb = postgres(scratch.url, { max: 1, onnotice: () => {} });
/** Index and sequential scans of webhook_endpoints so far (the statistics are flushed each second). */
async function endpointReads() {
  await Bun.sleep(1_100);
  await benchDb`select pg_stat_clear_snapshot()`;
  const [row] =
    await benchDb`select coalesce(idx_scan, 0) + coalesce(seq_scan, 0) as n from pg_stat_user_tables where relname = 'webhook_endpoints'`;
  return Number(row?.n ?? 0);
}
/** A write measured, with how often it read the webhook endpoints. */
async function measureWrite(name: string, write: () => Promise<unknown>, n?: number) {
  if (only && !only.some((part) => name.includes(part))) return;
  const before = await endpointReads();
  const calls = { n: 0 };
  await measureCall(
    name,
    () => {
      calls.n++;
      return write();
    },
    n,
  );
  console.log(`  ${((await endpointReads()) - before) / calls.n} webhook endpoint reads per write`);
}
const outboxMessages = async () => Number((await benchDb`select count(*) as n from webhook_messages`)[0]?.n);

// The same app with the request log on, as in production (LOG_LEVEL=info), through the production
// writer (lines gathered per event-loop turn) aimed at /dev/null: the line's making and writing are
// counted, a terminal's drawing is not.
const devNull = openSync("/dev/null", "w");
const logged = compose(config, {
  database,
  store,
  logger: jsonLogger("info", bufferedLines({ out: { write: (chunk) => writeSync(devNull, chunk) } })),
});

const redisStats = new (await import("ioredis")).default(
  process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379",
);

/** Transactions committed in the bench database and commands Redis processed, so far. */
async function roundTrips() {
  const [row] =
    await admin`select xact_commit + xact_rollback as n from pg_stat_database where datname = ${dbName}`;
  const info = await redisStats.info("stats");
  await admin`select pg_stat_clear_snapshot()`;
  return {
    database: Number(row?.n ?? 0),
    redis: Number(info.match(/total_commands_processed:(\d+)/)?.[1] ?? 0),
  };
}

const floor = new Elysia().get("/me", () => ({ id: "x", email, role: "member" }));

const loginRequest = () =>
  new Request("http://localhost/api/v1/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ tenant: "bench", email, password: "Bench-Password-2026" }),
  });

/** Comma-separated parts of the names to run, e.g. BENCH_ONLY="users/me,API key". */
const only = process.env.BENCH_ONLY?.split(",");
const iterations = Number(process.env.BENCH_ITERATIONS ?? 20_000);

async function measure(name: string, handle: (request: Request) => Promise<Response>, make: () => Request) {
  if (only && !only.some((part) => name.includes(part))) return;
  for (let i = 0; i < 2_000; i++) await (await handle(make())).text();
  const n = iterations;
  const before = await roundTrips();
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  // CPU per chunk of 1,000 too: on a shared machine the least and the median of the chunks move
  // less than the total does.
  const chunks: number[] = [];
  let chunkCpu = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const response = await handle(make());
    await response.text();
    if (response.status >= 400) throw new Error(`${name}: ${response.status}`);
    if ((i + 1) % 1_000 === 0) {
      const used = process.cpuUsage(chunkCpu);
      chunks.push((used.user + used.system) / 1_000);
      chunkCpu = process.cpuUsage();
    }
  }
  await report(name, n, start, cpuBefore, before);
  if (chunks.length > 1) {
    chunks.sort((a, b) => a - b);
    const median = chunks[Math.floor(chunks.length / 2)] ?? 0;
    console.log(
      `  CPU µs per request by chunks of 1,000: least ${(chunks[0] ?? 0).toFixed(1)}, median ${median.toFixed(1)}`,
    );
  }
}

async function report(
  name: string,
  n: number,
  start: number,
  cpuBefore: NodeJS.CpuUsage,
  before: { database: number; redis: number },
) {
  const us = ((performance.now() - start) * 1000) / n;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuUs = (cpu.user + cpu.system) / n;
  const io = await roundTrips();
  console.log(
    `${name.padEnd(34)} ${us.toFixed(1).padStart(7)} µs/request` +
      `  (${cpuUs.toFixed(1)} µs CPU; per request: ${((io.database - before.database) / n).toFixed(2)} database transactions, ` +
      `${((io.redis - before.redis) / n).toFixed(2)} Redis commands)`,
  );
}

/** A use case called in a loop (writes: fewer iterations, the database is the cost). */
async function measureCall(
  name: string,
  call: () => Promise<unknown>,
  n = Math.max(1, Math.floor(iterations / 10)),
) {
  if (only && !only.some((part) => name.includes(part))) return;
  for (let i = 0; i < 200; i++) await call();
  const before = await roundTrips();
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < n; i++) await call();
  await report(name, n, start, cpuBefore, before);
}

try {
  await measure(
    "floor (bare Elysia)",
    (r) => floor.handle(r),
    () => new Request("http://localhost/me"),
  );
  await measure(
    "GET /health",
    (r) => app.handle(r),
    () => new Request("http://localhost/health"),
  );
  await measure(
    "GET /users/me",
    (r) => app.handle(r),
    () => new Request("http://localhost/api/v1/users/me", { headers: auth }),
  );
  await measure(
    "GET /users/me (request log on)",
    (r) => logged.app.handle(r),
    () => new Request("http://localhost/api/v1/users/me", { headers: auth }),
  );
  await measure("POST /auth/login (bcrypt cost 4)", (r) => app.handle(r), loginRequest);
  let refreshToken = ((await (await app.handle(loginRequest())).json()) as { refreshToken: string })
    .refreshToken;
  await measure(
    "POST /auth/refresh",
    async (r) => {
      const response = await app.handle(r);
      refreshToken = ((await response.clone().json()) as { refreshToken: string }).refreshToken;
      return response;
    },
    () =>
      new Request("http://localhost/api/v1/auth/refresh", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ refreshToken }),
      }),
  );
  await measure(
    "GET /users?limit=50",
    (r) => app.handle(r),
    () => new Request("http://localhost/api/v1/users?limit=50", { headers: auth }),
  );
  let toggle = false;
  await measure(
    "PUT /features/{id} (a write)",
    (r) => app.handle(r),
    () => {
      toggle = !toggle;
      return new Request(`http://localhost/api/v1/features/${writtenFlag.id}`, {
        method: "PUT",
        headers: { ...adminAuth, "content-type": "application/json" },
        body: JSON.stringify({ enabled: toggle }),
      });
    },
  );
  await measure(
    "GET /features/{id} (uncached)",
    (r) => app.handle(r),
    () => new Request(`http://localhost/api/v1/features/${writtenFlag.id}`, { headers: adminAuth }),
  );
  await measure(
    "POST /features/evaluate",
    (r) => app.handle(r),
    () =>
      new Request("http://localhost/api/v1/features/evaluate", {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: '{"key":"f1"}',
      }),
  );
  await measure(
    "POST /features/evaluate (API key)",
    (r) => app.handle(r),
    () =>
      new Request("http://localhost/api/v1/features/evaluate", {
        method: "POST",
        headers: { ...apiKeyAuth, "content-type": "application/json" },
        body: '{"key":"f1"}',
      }),
  );
  await measure(
    "POST /features/evaluate (1 sample flag)",
    (r) => app.handle(r),
    () =>
      new Request("http://localhost/api/v1/features/evaluate", {
        method: "POST",
        headers: { ...flags50Auth, "content-type": "application/json" },
        body: '{"key":"flag-07","context":{"appName":"web-app","properties":{"seats":"12","version":"2.4.0"}}}',
      }),
  );
  await measure(
    "POST /features/evaluate (50 keys)",
    (r) => app.handle(r),
    () =>
      new Request("http://localhost/api/v1/features/evaluate", {
        method: "POST",
        headers: { ...flags50Auth, "content-type": "application/json" },
        body: '{"context":{"appName":"web-app"}}',
      }),
  );
  await measure(
    "GET /api/client/features (304)",
    async (r) => {
      const response = await app.handle(r);
      if (response.status !== 304) throw new Error(`client-304: ${response.status}`);
      return response;
    },
    () =>
      new Request("http://localhost/api/client/features", {
        headers: { authorization: clientKey, "if-none-match": clientEtag },
      }),
  );
  await measure(
    "GET /api/client/features (200)",
    (r) => app.handle(r),
    () => new Request("http://localhost/api/client/features", { headers: { authorization: clientKey } }),
  );
  await measure(
    "GET /api/frontend (20 flags)",
    (r) => app.handle(r),
    () =>
      new Request(`http://localhost/api/frontend?${FRONTEND_QUERY}`, {
        headers: { authorization: frontendKey },
      }),
  );
  const origin = { ip: "203.0.113.9", userAgent: null, requestId: null };
  for (let round = 0; round < 2; round++) {
    await measureCall("authenticate (JWT)", () => useCases.authenticate(accessToken, origin), iterations);
    await measureCall(
      "authenticate (API key)",
      () => useCases.authenticate(apiKeySecret, origin),
      iterations,
    );
  }
  // The smallest write (a transaction with one audit record of a catalogued change), then a flag
  // change through its use case, each in a tenant without endpoints and in one whose endpoint
  // subscribes to it.
  const audited = (tenantId: string) => auditedWrite(uow, tenantId, benchAdmin.principal.userId);
  const messagesBefore = await outboxMessages();
  for (let round = 0; round < 2; round++) {
    await measureWrite("audited write, no webhook endpoint", audited(plainId));
    await measureWrite("audited write, webhook enqueued", audited(hookedId));
  }
  for (let round = 0; round < 2; round++) {
    await measureWrite("flag write, no webhook endpoint", writeUnsubscribed, 300);
    await measureWrite("flag write, webhook enqueued", writeSubscribed, 300);
  }
  if (!only || only.some((part) => "audited write, flag write".includes(part))) {
    console.log(`  (outbox messages written meanwhile: ${(await outboxMessages()) - messagesBefore})`);
  }
} finally {
  await store.close();
  await database.close();
  await benchDb.end();
  await scratch.drop();
  redisStats.disconnect();
}
process.exit(0);
