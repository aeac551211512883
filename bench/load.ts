/**
 * Load benchmark: starts the app against real PostgreSQL and Redis with a seeded data set, and the
 * floor (a bare Elysia route), then drives each endpoint with wrk for a fixed duration and
 * concurrency. Writes bench/results/<date>.json and prints a Markdown table for bench/README.md.
 *
 *   bun run bench                     (needs wrk; PostgreSQL and Redis on localhost by default)
 *
 * BENCH_DATABASE_URL, BENCH_REDIS_URL, BENCH_DURATION (s, 10), BENCH_CONNECTIONS (64), BENCH_THREADS
 * (2), BENCH_BCRYPT_COST (10), BENCH_SETTLE_SECONDS (65: idle time before the steady RSS is read), BENCH_SCENARIOS (comma list), BENCH_LOG_LEVEL (warn), BENCH_PROFILE_DIR
 * (writes the app's CPU profile there, as Markdown too, when it stops), BENCH_BUN_FLAGS (e.g. "--smol"),
 * BENCH_MEMORY (see memoryReporter: "1" observes the app's memory at each step, "gc" also after a full
 * collection each time, which changes what follows; BENCH_MEMORY_SNAPSHOT=<part of a step's name>
 * also writes the app's heap snapshot at those steps, to bench/results/heap-<step>.json).
 *
 * Each scenario reports where the machine's CPU went, in µs per request: the app, PostgreSQL (all its
 * processes), Redis, wrk and everything else, and how busy the machine was. On 2 cores shared by the
 * app, the database and the load generator, that says which party a target is waiting on.
 *
 * Scenarios: floor, health, me, users, evaluate-one, apikey (evaluate-one with an `sk_` key instead of
 * a JWT), evaluate-all, client-304 (GET /api/client/features with a `ck_` key and the ETag it was
 * given: 304), client (the same with no If-None-Match: 200 with the definitions), frontend (GET
 * /api/frontend with an `fk_` key, a tenant of 20 flags), login, refresh.
 */

import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { openPostgres } from "../src/adapters/db/open-postgres";
import { loadConfig } from "../src/config";
import { type Dataset, seedDataset } from "./seed-dataset";
import { createBenchKeys, FRONTEND_QUERY } from "./seed-keys";

const env = process.env;
const ADMIN_URL = env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const REDIS_URL = env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const DURATION = Number(env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 64);
const THREADS = Number(env.BENCH_THREADS ?? 2);
const BCRYPT_COST = Number(env.BENCH_BCRYPT_COST ?? 10);
const LOG_LEVEL = env.BENCH_LOG_LEVEL ?? "warn";
const SETTLE_SECONDS = Number(env.BENCH_SETTLE_SECONDS ?? 65);
const APP_PORT = 18080;
const FLOOR_PORT = 18081;
const SIZE = { tenants: 50, usersPerTenant: 200, flagsPerTenant: 50, frontendFlags: 20 };
/** Signed-in members for the JWT reads, and as many `sk_` keys for the API-key run, spread alike. */
const READERS = 64;
const ROOT = join(import.meta.dir, "..");
// Linux reports process CPU time in clock ticks of 1/100 s on every platform it runs on today.
const CLOCK_TICKS = 100;

interface WrkResult {
  requests: number;
  durationUs: number;
  non2xx: number;
  socketErrors: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
  /** wrk's own CPU time, user and system. */
  wrkCpuSeconds: number;
}

interface ScenarioResult {
  scenario: string;
  label: string;
  requestsPerSecond: number;
  ratioToFloor: number | null;
  adjacentFloorRequestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  peakRssMb: number;
  /** The server's CPU time per request: steadier than req/s when the machine is busy with other work. */
  cpuUsPerRequest: number;
  /** CPU µs per request of the app, PostgreSQL, Redis, wrk and the rest of the machine. */
  cpuShares: CpuShares;
  bcryptCapacityPerSecond?: number;
  ofCapacity?: number;
}

interface Scenario {
  name: string;
  label: string;
  target: "app" | "floor";
  path: string;
  method?: string;
  script?: "request" | "refresh";
  tokens?: string;
  /** How the token is sent: `Authorization: Bearer <token>`, or bare as Unleash SDKs send it. */
  auth?: "bearer" | "bare";
  /** If-None-Match values, one per line of `tokens`. */
  etags?: string;
  bodies?: string;
  warmUp?: boolean;
}

function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function waitFor(url: string, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await Bun.sleep(100);
  }
  throw new Error(`${url} did not become ready within ${timeoutMs} ms`);
}

function rssKb(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const status = require("node:fs").readFileSync(`/proc/${pid}/status`, "utf8") as string;
    return Number(status.match(new RegExp(`${field}:\\s+(\\d+)`))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** CPU seconds in user and in system mode a process has used, from /proc; 0 where there is none. */
function cpuTimes(pid: number): { user: number; system: number } {
  try {
    const stat = require("node:fs").readFileSync(`/proc/${pid}/stat`, "utf8") as string;
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { user: Number(fields[11]) / CLOCK_TICKS, system: Number(fields[12]) / CLOCK_TICKS };
  } catch {
    return { user: 0, system: 0 };
  }
}

/**
 * CPU seconds used so far by every process named `name` (e.g. all of PostgreSQL's backends), with
 * what their ended children used (the postmaster reaps its backends), so the sum never goes back.
 */
function cpuSecondsOfAll(name: string): number {
  const fs = require("node:fs") as typeof import("node:fs");
  let total = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) !== name) continue;
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total +=
        (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return total;
}

/** The machine's busy and total CPU seconds so far, over all cores (/proc/stat). */
function machineCpuSeconds(): { busy: number; total: number } {
  const line = (require("node:fs").readFileSync("/proc/stat", "utf8") as string).split("\n")[0] ?? "";
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.split(/\s+/).slice(1).map(Number);
  const busy = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
  return { busy: busy / CLOCK_TICKS, total: (busy + (idle ?? 0) + (iowait ?? 0)) / CLOCK_TICKS };
}

/** Where a scenario's CPU went: each party's CPU µs per request, and how busy the whole machine was. */
interface CpuShares {
  app: number;
  /** The part of the app's CPU spent in the kernel (its socket reads and writes, mostly). */
  appSystem: number;
  postgres: number;
  redis: number;
  wrk: number;
  /** Everything else on the machine meanwhile (other work, the kernel's share not charged to a process). */
  other: number;
  machineBusy: number;
}

function cpuSnapshot(pid: number) {
  return {
    app: cpuTimes(pid),
    postgres: cpuSecondsOfAll("postgres"),
    redis: cpuSecondsOfAll("redis-server"),
    machine: machineCpuSeconds(),
  };
}

function cpuShares(
  before: ReturnType<typeof cpuSnapshot>,
  after: ReturnType<typeof cpuSnapshot>,
  wrkSeconds: number,
  requests: number,
): CpuShares {
  const perRequest = (seconds: number) => (requests ? Math.round((seconds * 1e6) / requests) : 0);
  const appSystem = after.app.system - before.app.system;
  const app = after.app.user - before.app.user + appSystem;
  const postgres = after.postgres - before.postgres;
  const redis = after.redis - before.redis;
  const busy = after.machine.busy - before.machine.busy;
  return {
    app: perRequest(app),
    appSystem: perRequest(appSystem),
    postgres: perRequest(postgres),
    redis: perRequest(redis),
    wrk: perRequest(wrkSeconds),
    other: perRequest(Math.max(0, busy - app - postgres - redis - wrkSeconds)),
    machineBusy: Number((busy / (after.machine.total - before.machine.total)).toFixed(3)),
  };
}

/**
 * BENCH_MEMORY: the app's memory at each step (RSS, JS heap, the native allocator), read through
 * `bench/memory-probe.ts`, which is preloaded into the app only then and answers SIGUSR2. A step is
 * recorded right after a scenario and again just before the next one's warm-up (after the adjacent
 * floor run left the app idle). Written beside the run's results as `memory-<date>.json`.
 */
function memoryReporter(dir: string) {
  const mode = env.BENCH_MEMORY;
  const file = join(dir, "memory.json");
  const steps: { step: string; at: number; [key: string]: unknown }[] = [];
  const started = Date.now();
  return {
    steps,
    flags: mode ? ["--preload", join(import.meta.dir, "memory-probe.ts")] : [],
    env: mode ? { BENCH_MEMORY_FILE: file, ...(mode === "gc" ? { BENCH_MEMORY_GC: "1" } : {}) } : {},
    async record(step: string, pid: number) {
      if (!mode) return;
      const { rmSync, readFileSync } = require("node:fs") as typeof import("node:fs");
      rmSync(file, { force: true });
      const snapshot = env.BENCH_MEMORY_SNAPSHOT;
      if (snapshot && step.includes(snapshot)) {
        const name = `heap-${step.replace(/[^a-z0-9-]+/gi, "-")}.json`;
        await writeFile(`${file}.snapshot`, join(import.meta.dir, "results", name));
      }
      process.kill(pid, "SIGUSR2");
      for (let i = 0; i < 600 && !existsSync(file); i++) await Bun.sleep(50);
      await Bun.sleep(50);
      if (!existsSync(file)) {
        process.stderr.write(`memory ${step}: the app did not answer\n`);
        return;
      }
      const report = JSON.parse(readFileSync(file, "utf8")) as {
        before: { proc: Record<string, number>; heapSizeMb: number; heapCapacityMb: number };
        afterGc?: { proc: Record<string, number>; heapSizeMb: number; heapCapacityMb: number };
      };
      steps.push({ step, at: Math.round((Date.now() - started) / 1000), ...report });
      const b = report.before;
      const a = report.afterGc;
      process.stderr.write(
        `memory ${step}: RSS ${b.proc.VmRSS} MB (anon ${b.proc.RssAnon}), heap ${b.heapSizeMb}/${b.heapCapacityMb} MB${a ? `; after GC RSS ${a.proc.VmRSS} MB, heap ${a.heapSizeMb}/${a.heapCapacityMb} MB` : ""}\n`,
      );
    },
    async write(date: string) {
      if (!mode) return;
      let out = join(import.meta.dir, "results", `memory-${date}.json`);
      for (let n = 2; existsSync(out); n++)
        out = join(import.meta.dir, "results", `memory-${date}-${n}.json`);
      await writeFile(out, `${JSON.stringify({ mode, steps }, null, 2)}\n`);
      process.stderr.write(`memory steps in ${out}\n`);
    },
  };
}

async function runWrk(scenario: Scenario, dir: string, seconds: number): Promise<WrkResult> {
  const port = scenario.target === "app" ? APP_PORT : FLOOR_PORT;
  const script = join(import.meta.dir, "wrk", `${scenario.script ?? "request"}.lua`);
  const wrk = Bun.spawn(
    [
      "wrk",
      `-t${THREADS}`,
      `-c${CONNECTIONS}`,
      `-d${seconds}s`,
      "--timeout",
      "10s",
      "-s",
      script,
      `http://127.0.0.1:${port}${scenario.path}`,
    ],
    {
      env: {
        ...env,
        BENCH_METHOD: scenario.method ?? "GET",
        BENCH_PATH: scenario.path,
        BENCH_TOKENS: scenario.tokens ? join(dir, scenario.tokens) : "",
        BENCH_BODIES: scenario.bodies ? join(dir, scenario.bodies) : "",
        BENCH_AUTH_SCHEME: scenario.auth === "bare" ? "" : "Bearer ",
        BENCH_ETAGS: scenario.etags ? join(dir, scenario.etags) : "",
        BENCH_THREADS: String(THREADS),
      },
      stdout: "pipe",
      stderr: "inherit",
    },
  );
  const output = await new Response(wrk.stdout).text();
  await wrk.exited;
  const usage = wrk.resourceUsage();
  const wrkCpuSeconds = usage ? Number(usage.cpuTime.user + usage.cpuTime.system) / 1e6 : 0;
  const line = output
    .trim()
    .split("\n")
    .findLast((l) => l.startsWith("{"));
  if (!line) throw new Error(`wrk printed no result for ${scenario.name}:\n${output}`);
  return { ...(JSON.parse(line) as Omit<WrkResult, "wrkCpuSeconds">), wrkCpuSeconds };
}

/** bcrypt verifications per second this machine allows on all its cores, at the benchmark's cost. */
async function bcryptCapacity(): Promise<number> {
  const hash = await Bun.password.hash("calibrate-me", { algorithm: "bcrypt", cost: BCRYPT_COST });
  const rounds = 10;
  const start = performance.now();
  for (let i = 0; i < rounds; i++) await Bun.password.verify("calibrate-me", hash, "bcrypt");
  const perCore = rounds / ((performance.now() - start) / 1000);
  return perCore * cpus().length;
}

async function login(tenant: string, email: string, password: string) {
  const res = await fetch(`http://127.0.0.1:${APP_PORT}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ tenant, email, password }),
  });
  if (!res.ok) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { accessToken: string; refreshToken: string };
}

async function loginMany(dataset: Dataset, count: number, offset: number) {
  const sessions: { accessToken: string; refreshToken: string }[] = [];
  for (let i = 0; i < count; i += 4) {
    const batch = Array.from({ length: Math.min(4, count - i) }, (_, j) => {
      const n = offset + i + j;
      const tenant = dataset.tenants[n % dataset.tenants.length]!;
      const email = tenant.members[Math.floor(n / dataset.tenants.length) % tenant.members.length]!;
      return login(tenant.slug, email, dataset.password);
    });
    sessions.push(...(await Promise.all(batch)));
  }
  return sessions;
}

async function main() {
  const dbName = `saas_bench_${process.pid}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${dbName}`);
  const dir = await mkdtemp(join(tmpdir(), "saas-bench-"));
  const children: ReturnType<typeof Bun.spawn>[] = [];
  const memory = memoryReporter(dir);
  try {
    const appEnv = {
      ...env,
      NODE_ENV: "production",
      PORT: String(APP_PORT),
      DATABASE_URL: databaseUrl(dbName),
      REDIS_URL: REDIS_URL,
      CACHE_KEY_PREFIX: `bench:${process.pid}:`,
      JWT_SECRET: "bench-secret-that-is-long-enough-for-hs256-0123456789",
      ADMIN_PASSWORD: "Bench-Admin-Password-2026",
      BCRYPT_COST: String(BCRYPT_COST),
      LOG_LEVEL: LOG_LEVEL,
      MAIL_DRIVER: "outbox",
      MAIL_OUTBOX_PATH: join(dir, "outbox.jsonl"),
      PUBLIC_URL: `http://127.0.0.1:${APP_PORT}`,
      APP_URL: "http://127.0.0.1:3000",
      RATE_LIMIT_IP_LIMIT: "1000000",
      RATE_LIMIT_ACCOUNT_LIMIT: "1000000",
      LOGIN_LOCKOUT_THRESHOLD: "1000",
      RATE_LIMIT_API_KEY_LIMIT: "1000000",
      ...memory.env,
    };
    const profile = env.BENCH_PROFILE_DIR
      ? ["--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${env.BENCH_PROFILE_DIR}`]
      : [];
    const bunFlags = env.BENCH_BUN_FLAGS?.split(" ").filter(Boolean) ?? [];
    const app = Bun.spawn(["bun", ...bunFlags, ...profile, ...memory.flags, "src/main.ts"], {
      cwd: ROOT,
      env: appEnv,
      stdout: "ignore",
      stderr: "inherit",
    });
    const floor = Bun.spawn(["bun", "bench/floor-server.ts"], {
      cwd: ROOT,
      env: { ...env, PORT: String(FLOOR_PORT) },
      stdout: "ignore",
      stderr: "inherit",
    });
    children.push(app, floor);
    await waitFor(`http://127.0.0.1:${APP_PORT}/health/ready`, 60_000);
    await waitFor(`http://127.0.0.1:${FLOOR_PORT}/me`, 10_000);
    await memory.record("ready", app.pid);

    const handle = await openPostgres(loadConfig({ DATABASE_URL: databaseUrl(dbName) }).database as never);
    const seedStart = performance.now();
    const dataset = await seedDataset(handle.db, SIZE, BCRYPT_COST);
    await handle.close();
    // Done now, so autovacuum and the checkpointer do not wake up during the measured runs.
    const bench = postgres(databaseUrl(dbName), { max: 1, onnotice: () => {} });
    await bench.unsafe("vacuum analyze");
    await bench.unsafe("checkpoint");
    await bench.end();
    process.stderr.write(
      `seeded ${JSON.stringify(SIZE)} in ${Math.round(performance.now() - seedStart)} ms\n`,
    );

    await memory.record("seeded (database only)", app.pid);
    const readers = await loginMany(dataset, READERS, 0);
    const refreshers = await loginMany(dataset, CONNECTIONS * 3, 64);
    const write = (name: string, lines: string[]) => writeFile(join(dir, name), `${lines.join("\n")}\n`);
    await write(
      "access.txt",
      readers.map((s) => s.accessToken),
    );
    await write(
      "refresh.txt",
      refreshers.map((s) => s.refreshToken),
    );
    await write(
      "evaluate-one.txt",
      dataset.flagKeys.map((key) =>
        JSON.stringify({
          key,
          context: { appName: "web-app", properties: { seats: "12", version: "2.4.0" } },
        }),
      ),
    );
    await write("evaluate-all.txt", [JSON.stringify({ context: { appName: "web-app" } })]);
    const keys = await createBenchKeys(`http://127.0.0.1:${APP_PORT}`, dataset, login, {
      apiKeys: READERS,
      frontendFlags: SIZE.frontendFlags,
    });
    await write("api-keys.txt", keys.api);
    await write(
      "client-keys.txt",
      keys.client.map((k) => k.token),
    );
    await write(
      "client-etags.txt",
      keys.client.map((k) => k.etag),
    );
    await write("frontend-key.txt", [keys.frontend]);
    await memory.record("logins and keys", app.pid);
    await write(
      "login.txt",
      dataset.tenants.flatMap((t) =>
        t.members
          .slice(100, 140)
          .map((email) => JSON.stringify({ tenant: t.slug, email, password: dataset.password })),
      ),
    );

    const scenarios: Scenario[] = [
      {
        name: "floor",
        label: "floor: bare route, same JSON as /me (first run)",
        target: "floor",
        path: "/me",
        warmUp: true,
      },
      { name: "health", label: "GET /health", target: "app", path: "/health", warmUp: true },
      {
        name: "me",
        label: "GET /api/v1/users/me",
        target: "app",
        path: "/api/v1/users/me",
        tokens: "access.txt",
        warmUp: true,
      },
      {
        name: "users",
        label: "GET /api/v1/users?limit=50",
        target: "app",
        path: "/api/v1/users?limit=50",
        tokens: "access.txt",
        warmUp: true,
      },
      {
        name: "evaluate-one",
        label: "POST /features/evaluate (1 key)",
        target: "app",
        path: "/api/v1/features/evaluate",
        method: "POST",
        tokens: "access.txt",
        bodies: "evaluate-one.txt",
        warmUp: true,
      },
      {
        name: "apikey",
        label: "POST /features/evaluate (1 key), sk_ API key",
        target: "app",
        path: "/api/v1/features/evaluate",
        method: "POST",
        tokens: "api-keys.txt",
        bodies: "evaluate-one.txt",
        warmUp: true,
      },
      {
        name: "evaluate-all",
        label: "POST /features/evaluate (50 keys)",
        target: "app",
        path: "/api/v1/features/evaluate",
        method: "POST",
        tokens: "access.txt",
        bodies: "evaluate-all.txt",
        warmUp: true,
      },
      {
        name: "client-304",
        label: "GET /api/client/features, If-None-Match (304)",
        target: "app",
        path: "/api/client/features",
        tokens: "client-keys.txt",
        auth: "bare",
        etags: "client-etags.txt",
        warmUp: true,
      },
      {
        name: "client",
        label: "GET /api/client/features (200, 50 flags)",
        target: "app",
        path: "/api/client/features",
        tokens: "client-keys.txt",
        auth: "bare",
        warmUp: true,
      },
      {
        name: "frontend",
        label: "GET /api/frontend (20 flags)",
        target: "app",
        path: `/api/frontend?${FRONTEND_QUERY}`,
        tokens: "frontend-key.txt",
        auth: "bare",
        warmUp: true,
      },
      {
        name: "login",
        label: "POST /auth/login",
        target: "app",
        path: "/api/v1/auth/login",
        method: "POST",
        bodies: "login.txt",
      },
      {
        name: "refresh",
        label: "POST /auth/refresh",
        target: "app",
        path: "/api/v1/auth/refresh",
        script: "refresh",
        tokens: "refresh.txt",
      },
    ];
    const only = env.BENCH_SCENARIOS?.split(",").map((s) => s.trim());
    const selected = scenarios.filter((s) => s.name === "floor" || !only || only.includes(s.name));

    const capacity = await bcryptCapacity();
    const results: ScenarioResult[] = [];
    // The machine's speed drifts between runs: each endpoint is compared with a floor run just before it.
    const floorScenario = selected.find((s) => s.name === "floor")!;
    let floorRps = 0;
    for (const scenario of selected) {
      if (scenario.name !== "floor") {
        const adjacent = await runWrk(floorScenario, dir, DURATION);
        floorRps = adjacent.requests / (adjacent.durationUs / 1e6);
      }
      if (scenario.target === "app") await memory.record(`idle before ${scenario.name}`, app.pid);
      if (scenario.warmUp) await runWrk(scenario, dir, 2);
      const pid = scenario.target === "app" ? app.pid : floor.pid;
      let peakRss = 0;
      const sampler = setInterval(() => {
        peakRss = Math.max(peakRss, rssKb(pid, "VmRSS"));
      }, 100);
      const cpuBefore = cpuSnapshot(pid);
      const result = await runWrk(scenario, dir, DURATION);
      const shares = cpuShares(cpuBefore, cpuSnapshot(pid), result.wrkCpuSeconds, result.requests);
      clearInterval(sampler);
      if (scenario.target === "app") await memory.record(`after ${scenario.name}`, app.pid);
      const rps = result.requests / (result.durationUs / 1e6);
      if (scenario.name === "floor") floorRps = rps;
      results.push({
        scenario: scenario.name,
        label: scenario.label,
        requestsPerSecond: Math.round(rps),
        ratioToFloor: floorRps ? Number((rps / floorRps).toFixed(3)) : null,
        adjacentFloorRequestsPerSecond: Math.round(floorRps),
        p50Ms: result.p50Us / 1000,
        p99Ms: result.p99Us / 1000,
        errors: result.non2xx + result.socketErrors,
        peakRssMb: Math.round(peakRss / 1024),
        cpuUsPerRequest: shares.app,
        cpuShares: shares,
        ...(scenario.name === "login"
          ? { bcryptCapacityPerSecond: Math.round(capacity), ofCapacity: Number((rps / capacity).toFixed(3)) }
          : {}),
      });
      process.stderr.write(
        `${scenario.name}: ${Math.round(rps)} req/s, p99 ${result.p99Us / 1000} ms, errors ${result.non2xx + result.socketErrors}, CPU µs/request: app ${shares.app} (kernel ${shares.appSystem}), PostgreSQL ${shares.postgres}, Redis ${shares.redis}, wrk ${shares.wrk}, other ${shares.other}; machine ${Math.round(shares.machineBusy * 100)}% busy\n`,
      );
    }
    const appPeakRssMb = Math.round(rssKb(app.pid, "VmHWM") / 1024);
    const rssAfterRunMb = Math.round(rssKb(app.pid, "VmRSS") / 1024);
    // Steady: what the app holds once the run is over and it has been idle past DB_IDLE_TIMEOUT_SECONDS
    // (60 s by default), sampled until two readings 10 s apart agree within 1 MB.
    await Bun.sleep(SETTLE_SECONDS * 1000);
    let steadyRssMb = Math.round(rssKb(app.pid, "VmRSS") / 1024);
    for (let i = 0; i < 6; i++) {
      await Bun.sleep(10_000);
      const now = Math.round(rssKb(app.pid, "VmRSS") / 1024);
      const settled = Math.abs(now - steadyRssMb) <= 1;
      steadyRssMb = now;
      if (settled) break;
    }
    if (env.BENCH_MEMORY) await memory.record("after the run, idle", app.pid);

    const date = new Date().toISOString().slice(0, 10);
    let file = join(import.meta.dir, "results", `${date}.json`);
    for (let n = 2; existsSync(file); n++) file = join(import.meta.dir, "results", `${date}-${n}.json`);
    const report = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? "unknown" },
      settings: {
        durationSeconds: DURATION,
        connections: CONNECTIONS,
        threads: THREADS,
        bcryptCost: BCRYPT_COST,
        logLevel: LOG_LEVEL,
        dataset: SIZE,
      },
      appPeakRssMb,
      appRssAfterRunMb: rssAfterRunMb,
      appSteadyRssMb: steadyRssMb,
      results,
    };
    await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
    await memory.write(date);

    const rows = results.map(
      (r) =>
        `| ${r.label} | ${r.requestsPerSecond.toLocaleString("en")} | ${r.ratioToFloor === null ? "" : `${Math.round(r.ratioToFloor * 100)}%`} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.errors} | ${r.peakRssMb} | ${r.cpuShares.app} | ${r.cpuShares.postgres} | ${r.cpuShares.redis} | ${r.cpuShares.wrk} | ${r.cpuShares.other} | ${Math.round(r.cpuShares.machineBusy * 100)}% |`,
    );
    process.stdout.write(
      [
        `Results in ${file}`,
        "",
        "| Endpoint | req/s | of floor | p50 ms | p99 ms | errors | peak RSS MB | CPU µs/req: app | PostgreSQL | Redis | wrk | other | machine busy |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ...rows,
        "",
        `App peak RSS ${appPeakRssMb} MB, ${rssAfterRunMb} MB right after the run, ${steadyRssMb} MB steady (idle ${SETTLE_SECONDS} s and more). bcrypt capacity at cost ${BCRYPT_COST}: ${Math.round(capacity)} verifications/s on ${cpus().length} cores.`,
        "",
      ].join("\n"),
    );
  } finally {
    for (const child of children) child.kill();
    await Promise.all(children.map((c) => c.exited));
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}

await main();
