/**
 * Per-request cost of the app's hot endpoints without sockets: `app.handle()` in a loop, one at a
 * time, against real PostgreSQL and Redis (warm caches). For finding where a request's time goes;
 * the load benchmark (bench/load.ts) is the number that counts.
 *
 *   bun bench/in-process.ts          (BENCH_DATABASE_URL, BENCH_REDIS_URL as in bench/load.ts)
 */
import { Elysia } from "elysia";
import postgres from "postgres";
import { migrate } from "../src/adapters/db/migrate";
import { repositories } from "../src/adapters/db/unit-of-work";
import { openEphemeralStore } from "../src/composition/ephemeral-store";
import { openDatabase } from "../src/composition/open-database";
import { composeServer as compose } from "../src/composition/server";
import { loadConfig } from "../src/config";
import { silentLogger } from "../tests/support/logger";

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const dbName = `saas_inproc_${process.pid}`;
const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${dbName}`);
const url = new URL(ADMIN_URL);
url.pathname = `/${dbName}`;

const config = loadConfig({
  DATABASE_URL: url.toString(),
  REDIS_URL: process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379",
  CACHE_KEY_PREFIX: `inproc:${process.pid}:`,
  JWT_SECRET: "in-process-bench-secret-long-enough-0123456789",
  BCRYPT_COST: "4",
  LOG_LEVEL: "warn",
  RATE_LIMIT_IP_LIMIT: "1000000",
  RATE_LIMIT_ACCOUNT_LIMIT: "1000000",
});
const database = await openDatabase(config.database);
await migrate(database);
const store = openEphemeralStore(config, silentLogger);
await store.ready(2_000);
const composition = compose(config, { database, store, logger: silentLogger });
const { app, useCases, ids, hasher } = composition;
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
const adminEmail = "admin@bench.example.com";
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

const only = process.env.BENCH_ONLY;
const iterations = Number(process.env.BENCH_ITERATIONS ?? 20_000);

async function measure(name: string, handle: (request: Request) => Promise<Response>, make: () => Request) {
  if (only && !name.includes(only)) return;
  for (let i = 0; i < 2_000; i++) await (await handle(make())).text();
  const n = iterations;
  const before = await roundTrips();
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const response = await handle(make());
    await response.text();
    if (response.status >= 400) throw new Error(`${name}: ${response.status}`);
  }
  const us = ((performance.now() - start) * 1000) / n;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuUs = (cpu.user + cpu.system) / n;
  const io = await roundTrips();
  console.log(
    `${name.padEnd(28)} ${us.toFixed(1).padStart(7)} µs/request` +
      `  (${cpuUs.toFixed(1)} µs CPU; per request: ${((io.database - before.database) / n).toFixed(2)} database transactions, ` +
      `${((io.redis - before.redis) / n).toFixed(2)} Redis commands)`,
  );
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
} finally {
  await store.close();
  await database.close();
  await admin.unsafe(`drop database if exists ${dbName} with (force)`);
  await admin.end();
  redisStats.disconnect();
}
process.exit(0);
