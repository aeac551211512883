/**
 * Hostile flag set: builds, through the API and its real validation, the most expensive flag set
 * one tenant's admins may store (every bound of src/core/domain/flags/limits.ts at its maximum,
 * worst patterns and inputs, inverted constraints that pass so that every one is checked), then
 * measures one `POST /features/evaluate` of all of the tenant's flags in process (app.handle) and
 * over HTTP, and a 64-connection load of that request while a separate client measures
 * `GET /health`. Everything runs on 127.0.0.1; the load is bounded in time.
 *
 *   bun run bench:hostile    (BENCH_DATABASE_URL, BENCH_REDIS_URL as in bench/load.ts;
 *                             BENCH_DURATION seconds of load, 10; BENCH_CONNECTIONS, 64)
 *
 * Uses wrk when it is installed, else a bounded fetch loop in a child process.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { migrate } from "../src/adapters/db/migrate";
import { repositories } from "../src/adapters/db/unit-of-work";
import { openEphemeralStore } from "../src/composition/ephemeral-store";
import { openDatabase } from "../src/composition/open-database";
import { composeServer as compose } from "../src/composition/server";
import { loadConfig } from "../src/config";
import { FLAG_LIMITS } from "../src/core/domain/flags/limits";
import { compilePattern } from "../src/core/domain/flags/regex-pattern";
import { scopeSize } from "../src/core/domain/flags/scope-budget";
import type { FeatureFlag, FlagConstraint, FlagStrategy } from "../src/core/domain/flags/types";
import { silentLogger } from "../tests/support/logger";
import { hostileContext, hostileLoad, percentile } from "./hostile-load";

const env = process.env;
const ADMIN_URL = env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const REDIS_URL = env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const DURATION = Number(env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 64);
const PORT = 18090;
const ROOT = join(import.meta.dir, "..");
const L = FLAG_LIMITS;

// ---- The flag set -------------------------------------------------------------------------------

/** `(?i)[ab]*a[ab]{n}c`: its DFA has 2^n states, so random a/b input defeats the DFA's cache. */
function worstPattern(instructions: number): string {
  let n = 1;
  while (
    (compilePattern(`[ab]*a[ab]{${n + 1}}c`, true) as { instructions: number }).instructions <= instructions
  )
    n++;
  return `[ab]*a[ab]{${n}}c`;
}

const property = (i: number) => `p${i % 50}`;
/** Checked on every evaluation and true: the input never matches (it has no `c` and no `z`). */
const passing = (i: number, kind: number, width: number): FlagConstraint => {
  switch (kind % 4) {
    case 0:
      return {
        contextName: property(i),
        operator: "STR_CONTAINS",
        caseInsensitive: true,
        inverted: true,
        values: Array.from({ length: width }, (_, j) => `abab${j.toString(36)}z`),
      };
    case 1:
      return {
        contextName: "remoteAddress",
        operator: "IN_CIDR",
        inverted: true,
        values: Array.from({ length: width }, (_, j) => `10.${j}.${i % 256}.0/24`),
      };
    case 2:
      return {
        contextName: property(i),
        operator: "NOT_IN",
        values: Array.from({ length: width }, (_, j) => `v${i}-${j}`),
      };
    default:
      return { contextName: property(i), operator: "STR_ENDS_WITH", inverted: true, values: ["z", `${i}z`] };
  }
};
/** Last in every strategy, so that each strategy is tried to its end and the next one too. */
const failing: FlagConstraint = { contextName: "userId", operator: "IN", values: ["nobody"] };

function strategy(constraints: FlagConstraint[], segments: string[] = []): FlagStrategy {
  return {
    name: "flexibleRollout",
    parameters: { rollout: "100", stickiness: "default" },
    constraints,
    segments,
  };
}

function hostileSet(segmentIds: string[]): { flags: FeatureFlag[]; patterns: number } {
  const flags: FeatureFlag[] = [];
  const segments = segmentFill(segmentIds.length);
  const pattern = worstPattern(Math.floor(L.patternInstructionsPerScope / L.patternsPerScope));
  const perStrategy = L.constraintsPerStrategy - 1; // then `failing`
  const patternFlags = Math.ceil(L.patternsPerScope / (L.strategiesPerFlag - 1));
  const parents = Array.from({ length: Math.min(L.dependencies, patternFlags) }, (_, i) => ({
    feature: `pattern-${i}`,
  }));
  const plain = (i: number): FeatureFlag => ({ key: `plain-${i}`, enabled: true, dependencies: parents });
  // Room is kept for the plain flags that make up the count at the end.
  const fits = (flag: FeatureFlag) =>
    scopeSize({ flags: [...flags, flag], segments }) +
      (L.flagsPerScope - flags.length - 1) * scopeSize({ flags: [plain(L.flagsPerScope)], segments: [] }) <=
    L.scopeSize;
  let patterns = 0;
  let n = 0;
  // The patterns first, one per strategy. Their flags end with a strategy that matches, so the
  // flags that depend on them are evaluated too.
  while (patterns < L.patternsPerScope) {
    const strategies: FlagStrategy[] = [];
    while (strategies.length < L.strategiesPerFlag - 1 && patterns < L.patternsPerScope) {
      const regex: FlagConstraint = {
        contextName: property(patterns++),
        operator: "REGEX",
        value: pattern,
        caseInsensitive: true,
        inverted: true,
      };
      strategies.push(strategy([regex, failing]));
    }
    flags.push({
      key: `pattern-${flags.length}`,
      enabled: true,
      strategies: [...strategies, { name: "default" }],
    });
  }
  // Then flags with every strategy at the most constraints and the widest lists, depending on the
  // pattern flags; each ends with a strategy that lists a segment of the most constraints.
  let width: number = L.valuesPerConstraint;
  while (flags.length < L.flagsPerScope && width >= 1) {
    const strategies: FlagStrategy[] = Array.from({ length: L.strategiesPerFlag - 1 }, () => {
      const own = Array.from({ length: perStrategy }, (_, c) => passing(n + c, n + c, width));
      n += own.length;
      return strategy([...own, failing]);
    });
    strategies.push(strategy([], [segmentIds[flags.length % segmentIds.length]!]));
    const flag: FeatureFlag = {
      key: `wide-${flags.length}`,
      enabled: true,
      strategies,
      dependencies: parents,
    };
    if (fits(flag)) flags.push(flag);
    else width = Math.floor(width / 2);
  }
  // The rest of the flag count, as far as the scope's size allows.
  while (flags.length < L.flagsPerScope)
    flags.push({ key: `plain-${flags.length}`, enabled: true, dependencies: parents });
  return { flags, patterns };
}

function segmentFill(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    constraints: Array.from({ length: L.constraintsPerStrategy }, (_, c) =>
      passing(1000 + i * 100 + c, c, 4),
    ),
  }));
}

// ---- Running it --------------------------------------------------------------------------------

function stats(samples: number[]) {
  return {
    medianMs: Number(percentile(samples, 50).toFixed(2)),
    maxMs: Number(Math.max(...samples).toFixed(2)),
  };
}

async function main() {
  const dbName = `saas_hostile_${process.pid}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${dbName}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const appEnv = {
    DATABASE_URL: url.toString(),
    REDIS_URL,
    CACHE_KEY_PREFIX: `hostile:${process.pid}:`,
    JWT_SECRET: "hostile-bench-secret-long-enough-0123456789",
    BCRYPT_COST: "4",
    LOG_LEVEL: "warn",
    RATE_LIMIT_IP_LIMIT: "1000000",
    RATE_LIMIT_ACCOUNT_LIMIT: "1000000",
  };
  const config = loadConfig(appEnv);
  const database = await openDatabase(config.database);
  await migrate(database);
  const store = openEphemeralStore(config, silentLogger);
  await store.ready(2_000);
  const { app, useCases, clock, ids, hasher } = compose(config, { database, store, logger: silentLogger });
  const repos = repositories(database.db, clock, ids); // fixtures, as the connecting user
  let server: ReturnType<typeof Bun.spawn> | undefined;
  try {
    await useCases.seedPlatform({
      adminEmail: "admin@example.com",
      adminPassword: "Hostile-Admin-Password-2026",
    });
    const tenant = await repos.tenants.create({
      id: ids.next(),
      name: "Hostile",
      slug: "hostile",
      plan: "pro",
    });
    const password = "Hostile-Password-2026";
    for (const role of ["admin", "member"] as const) {
      await repos.users.create({
        id: ids.next(),
        tenantId: tenant.id,
        email: `${role}@hostile.example.com`,
        passwordHash: await hasher.hash(password),
        role,
      });
    }
    const call = async (method: string, path: string, token: string | null, body?: unknown) => {
      const response = await app.handle(
        new Request(`http://localhost${path}`, {
          method,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(body ? { "content-type": "application/json" } : {}),
          },
          body: body ? JSON.stringify(body) : undefined,
        }),
      );
      const json = (await response.json().catch(() => null)) as Record<string, string> | null;
      return { status: response.status, body: json ?? {} };
    };
    const login = async (role: string) =>
      (
        await call("POST", "/api/v1/auth/login", null, {
          tenant: "hostile",
          email: `${role}@hostile.example.com`,
          password,
        })
      ).body.accessToken as string;
    const adminToken = await login("admin");
    const memberToken = await login("member");

    // Built through the API: every definition below passed its real validation.
    const segmentIds: string[] = [];
    for (const [i, segment] of segmentFill(L.segmentsPerStrategy).entries()) {
      const res = await call("POST", "/api/v1/features/segments", adminToken, {
        name: `segment-${i}`,
        ...segment,
      });
      if (res.status !== 201) throw new Error(`segment ${i}: ${res.status} ${JSON.stringify(res.body)}`);
      segmentIds.push(res.body.id!);
    }
    const { flags, patterns } = hostileSet(segmentIds);
    for (const flag of flags) {
      const res = await call("POST", "/api/v1/features", adminToken, flag);
      if (res.status !== 201) throw new Error(`${flag.key}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    const oneMore = await call("POST", "/api/v1/features", adminToken, { key: "one-more" });
    if (oneMore.body.code !== "FLAG_LIMIT_REACHED") throw new Error("the flag limit did not hold");
    const definitions = await repos.flags.definitions(tenant.id);
    const size = scopeSize(definitions);
    const constraints = definitions.flags.reduce(
      (sum, f) => sum + f.strategies.reduce((s, st) => s + (st.constraints?.length ?? 0), 0),
      0,
    );
    process.stderr.write(
      `stored ${definitions.flags.length} flags, ${segmentIds.length} segments, ${constraints} constraints, ${patterns} patterns, ${size} characters\n`,
    );

    // A new context each request, as an attacker would send, so that no pattern's DFA is warm.
    const bodies = Array.from({ length: 200 }, () => JSON.stringify({ context: hostileContext() }));
    let sent = 0;
    const nextBody = () => bodies[sent++ % bodies.length]!;
    const evaluate = () =>
      app.handle(
        new Request("http://localhost/api/v1/features/evaluate", {
          method: "POST",
          headers: { authorization: `Bearer ${memberToken}`, "content-type": "application/json" },
          body: nextBody(),
        }),
      );
    const coldStart = performance.now();
    const first = await evaluate();
    const coldMs = performance.now() - coldStart;
    const items = ((await first.json()) as { items: { reason: string }[] }).items;
    if (first.status !== 200 || items.length !== L.flagsPerScope)
      throw new Error(`evaluate: ${first.status}`);
    const inProcess: number[] = [];
    for (let i = 0; i < 30; i++) {
      const start = performance.now();
      await (await evaluate()).text();
      inProcess.push(performance.now() - start);
    }

    server = Bun.spawn(["bun", "src/main.ts"], {
      cwd: ROOT,
      env: {
        ...env,
        ...appEnv,
        NODE_ENV: "production",
        PORT: String(PORT),
        HOST: "127.0.0.1",
        PUBLIC_URL: `http://127.0.0.1:${PORT}`,
        APP_URL: "http://127.0.0.1:3000",
        MAIL_DRIVER: "outbox",
      },
      stdout: "ignore",
      stderr: "inherit",
    });
    const base = `http://127.0.0.1:${PORT}`;
    for (let end = Date.now() + 60_000; ; ) {
      if (
        await fetch(`${base}/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (Date.now() > end) throw new Error("the server did not start");
      await Bun.sleep(100);
    }
    const overHttp: number[] = [];
    for (let i = 0; i < 33; i++) {
      const start = performance.now();
      const res = await fetch(`${base}/api/v1/features/evaluate`, {
        method: "POST",
        headers: { authorization: `Bearer ${memberToken}`, "content-type": "application/json" },
        body: nextBody(),
      });
      await res.text();
      if (i >= 3) overHttp.push(performance.now() - start);
    }

    const dir = await mkdtemp(join(tmpdir(), "hostile-bench-"));
    const load = await hostileLoad({
      base,
      token: memberToken,
      bodies,
      dir,
      seconds: DURATION,
      connections: CONNECTIONS,
    });

    const report = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? "unknown" },
      limits: L,
      stored: {
        flags: definitions.flags.length,
        segments: segmentIds.length,
        constraints,
        patterns,
        characters: size,
      },
      evaluateAll: {
        results: items.length,
        inProcessFirstMs: Number(coldMs.toFixed(2)),
        inProcess: stats(inProcess),
        overHttp: stats(overHttp),
      },
      load,
    };
    await writeFile(
      join(import.meta.dir, "results", `hostile-${report.date.slice(0, 10)}.json`),
      `${JSON.stringify(report, null, 2)}\n`,
    );
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    if (server) {
      server.kill();
      await server.exited;
    }
    await store.close();
    await database.close();
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}

await main();
process.exit(0);
