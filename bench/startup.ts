/**
 * Start-up benchmark: time from exec to the first `GET /health/ready` that answers 200, for
 *  - the compiled binary (dist/saas-server, `bun run build` first) on an already migrated
 *    PostgreSQL database, and
 *  - the embedded quick start (`bun run start`'s command, no DATABASE_URL) on a fresh data
 *    directory (first run) and again on the directory the first run left (second run).
 * Besides wall time it reports the CPU time the process had used when it was ready (steadier than
 * wall time on a busy machine) and its RSS then. Results go to bench/results/startup-<date>.json.
 *
 *   bun run build && bun run bench:startup
 *
 * STARTUP_DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres: a database is created and
 * dropped beside it), STARTUP_RUNS (5 per case), STARTUP_CASES (binary,embedded), STARTUP_BINARY
 * (dist/saas-server; several, comma separated, are run in turn to compare builds).
 */

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import postgres from "postgres";

const env = process.env;
const ADMIN_URL = env.STARTUP_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const RUNS = Number(env.STARTUP_RUNS ?? 5);
const CASES = (env.STARTUP_CASES ?? "binary,embedded").split(",");
const ROOT = join(import.meta.dir, "..");
const BINARIES = (env.STARTUP_BINARY ?? join(ROOT, "dist", "saas-server"))
  .split(",")
  .map((path) => resolve(path));
const CLOCK_TICKS = 100; // Linux reports process CPU time in 1/100 s

interface Sample {
  wallMs: number;
  cpuMs: number;
  rssMb: number;
}

function procStat(pid: number): { cpuMs: number; rssMb: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const rssKb = Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
    return {
      cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS,
      rssMb: Math.round(rssKb / 1024),
    };
  } catch {
    return { cpuMs: Number.NaN, rssMb: Number.NaN };
  }
}

async function freePort(): Promise<number> {
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = server.port!;
  await server.stop(true);
  return port;
}

/** Starts `command`, polls readiness every 2 ms, then stops it with SIGTERM and waits for the exit. */
async function timeStart(command: string[], cwd: string, extraEnv: Record<string, string>): Promise<Sample> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/health/ready`;
  const started = performance.now();
  const child = Bun.spawn(command, {
    cwd,
    env: { PATH: env.PATH ?? "", HOME: env.HOME ?? cwd, HOST: "127.0.0.1", PORT: String(port), ...extraEnv },
    stdout: "ignore",
    stderr: "pipe",
  });
  try {
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(
          `${command.join(" ")} exited ${child.exitCode}: ${await new Response(child.stderr).text()}`,
        );
      }
      const ok = await fetch(url).then(
        (res) => res.status === 200,
        () => false,
      );
      if (ok) {
        const wallMs = performance.now() - started;
        return { wallMs, ...procStat(child.pid) };
      }
      if (performance.now() - started > 120_000) throw new Error(`${url} not ready within 120 s`);
      await Bun.sleep(2);
    }
  } finally {
    child.kill("SIGTERM");
    await child.exited;
  }
}

function summary(label: string, samples: Sample[]) {
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  };
  const wall = samples.map((s) => s.wallMs);
  return {
    case: label,
    runs: samples.length,
    medianWallMs: Math.round(median(wall)),
    minWallMs: Math.round(Math.min(...wall)),
    maxWallMs: Math.round(Math.max(...wall)),
    medianCpuMs: Math.round(median(samples.map((s) => s.cpuMs))),
    medianRssMb: median(samples.map((s) => s.rssMb)),
  };
}

async function binaryOnPostgres() {
  for (const binary of BINARIES) {
    if (!existsSync(binary)) throw new Error(`${binary} is missing: run \`bun run build\` first`);
  }
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  const name = `saas_startup_${process.pid}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const cwd = await mkdtemp(join(tmpdir(), "saas-startup-"));
  const appEnv = {
    DATABASE_URL: url.toString(),
    NODE_ENV: "production",
    JWT_SECRET: "startup-bench-secret-long-enough-for-hs256-0123456789",
    ADMIN_PASSWORD: "Startup-Bench-Admin-2026",
    PUBLIC_URL: "http://127.0.0.1",
    APP_URL: "http://127.0.0.1:3000",
    MAIL_DRIVER: "outbox",
  };
  try {
    const migrating = await timeStart([BINARIES[0]!], cwd, appEnv); // migrates and seeds: not a warm start
    const samples = BINARIES.map((): Sample[] => []);
    // Builds alternate, so a burst of load elsewhere on the machine does not favour one of them.
    for (let i = 0; i < RUNS; i++) {
      for (const [b, binary] of BINARIES.entries()) samples[b]!.push(await timeStart([binary], cwd, appEnv));
    }
    return [
      summary("binary, PostgreSQL, first start (migrates, seeds)", [migrating]),
      ...BINARIES.map((binary, b) =>
        summary(`${binary.replace(`${ROOT}/`, "")}, PostgreSQL, migrated`, samples[b]!),
      ),
    ];
  } finally {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
    await rm(cwd, { recursive: true, force: true });
  }
}

/** The command `bun run start` runs, so its own small overhead is left out and the pid is the server's. */
function startCommand(): string[] {
  const scripts = (
    JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }
  ).scripts;
  return scripts.start!.split(" ").map((part) => (part === "bun" ? process.execPath : part));
}

async function embeddedQuickStart() {
  const first: Sample[] = [];
  const second: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = await mkdtemp(join(tmpdir(), "saas-startup-"));
    const appEnv = { PGLITE_DATA_DIR: join(dir, "pglite"), MAIL_OUTBOX_PATH: join(dir, "outbox.jsonl") };
    try {
      first.push(await timeStart(startCommand(), ROOT, appEnv));
      second.push(await timeStart(startCommand(), ROOT, appEnv));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return [
    summary("embedded quick start, first run", first),
    summary("embedded quick start, second run", second),
  ];
}

const rows = [
  ...(CASES.includes("binary") ? await binaryOnPostgres() : []),
  ...(CASES.includes("embedded") ? await embeddedQuickStart() : []),
];
console.table(rows);
const date = new Date().toISOString();
let file = join(import.meta.dir, "results", `startup-${date.slice(0, 10)}.json`);
for (let n = 2; existsSync(file); n++)
  file = join(import.meta.dir, "results", `startup-${date.slice(0, 10)}-${n}.json`);
writeFileSync(file, `${JSON.stringify({ date, bun: Bun.version, loadAverage: loadavg(), rows }, null, 2)}\n`);
console.log(`Results in ${file}`);
