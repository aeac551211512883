/**
 * What enqueuing a webhook adds to a write (issue 19: "a write that enqueues a webhook costs no more
 * than 10% more than one that does not"), measured in process against real PostgreSQL and Redis: the
 * smallest audited write (one transaction appending one audit event of a catalogued action), and a
 * flag change through its use case, each in a tenant without webhook endpoints and in one whose
 * endpoint subscribes. No delivery worker runs (the endpoint's URL is never called), so the numbers
 * are the enqueue alone.
 *
 * The calls run in blocks of WEBHOOK_BENCH_BLOCK, the variants' blocks interleaved (the order rotated
 * each time), and each variant reports the median of its blocks' µs per call: on a machine shared
 * with other work, a neighbour's burst then spoils a few blocks of every variant rather than one
 * variant's whole run. With WEBHOOK_BENCH_BASE=<another checkout of this repository> (its
 * node_modules present) the same app composed from that tree's code runs on the same database and
 * cache, interleaved with this one: a before/after in one process.
 *
 *   bun bench/webhook-enqueue.ts       (BENCH_DATABASE_URL, BENCH_REDIS_URL; WEBHOOK_BENCH_N calls
 *                                       per variant, WEBHOOK_BENCH_BLOCK, WEBHOOK_BENCH_BASE)
 */
import postgres from "postgres";
import { migrate } from "../src/adapters/db/migrate";
import { repositories } from "../src/adapters/db/unit-of-work";
import { openEphemeralStore } from "../src/composition/ephemeral-store";
import { openDatabase } from "../src/composition/open-database";
import { composeServer } from "../src/composition/server";
import { loadConfig } from "../src/config";
import type { Acting } from "../src/core/domain/acting";
import { silentLogger } from "../tests/support/logger";
import { scratchDatabase } from "./scratch-database";
import { adminActing, auditedWrite, subscribeToFlags } from "./write-fixtures";

const N = Number(process.env.WEBHOOK_BENCH_N ?? 2_000);
const BLOCK = Number(process.env.WEBHOOK_BENCH_BLOCK ?? 20);
const BASE = process.env.WEBHOOK_BENCH_BASE;
const scratch = await scratchDatabase("saas_webhook_bench");

const config = loadConfig({
  DATABASE_URL: scratch.url,
  REDIS_URL: process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379",
  CACHE_KEY_PREFIX: `webhook-bench:${process.pid}:`,
  JWT_SECRET: "webhook-bench-secret-long-enough-0123456789",
  BCRYPT_COST: "4",
  LOG_LEVEL: "warn",
});
const database = await openDatabase(config.database);
const benchDb = postgres(scratch.url, { max: 1, onnotice: () => {} });
const store = openEphemeralStore(config, silentLogger);
try {
  await migrate(database);
  await store.ready(2_000);
  const builds: { name: string; compose: typeof composeServer }[] = [
    { name: "this", compose: composeServer },
  ];
  if (BASE) {
    const base = (await import(`${BASE}/src/composition/server.ts`)) as {
      composeServer: typeof composeServer;
    };
    builds.unshift({ name: "base", compose: base.composeServer });
  }
  const first = composeServer(config, { database, store, logger: silentLogger });
  const ids = first.ids;
  const repos = repositories(database.db, first.clock, ids);

  async function tenantOf(slug: string): Promise<Acting> {
    const home = await repos.tenants.create({ id: ids.next(), name: slug, slug, plan: "pro" });
    return adminActing(repos, ids, home, "unused");
  }
  const plainTenant = await tenantOf("plain");
  const hookedTenant = await tenantOf("hooked");
  await subscribeToFlags(repos, ids, hookedTenant.home.id);

  /** One build's writes in one tenant: its own flag (so builds never wait on each other's rows). */
  async function writer(build: (typeof builds)[number], acting: Acting) {
    const { useCases, uow } = build.compose(config, { database, store, logger: silentLogger });
    const tenantId = acting.home.id;
    const flag = await useCases.manageFlags.create(acting, {
      key: `w-${build.name}`,
      enabled: true,
      strategies: [],
    });
    let n = 0;
    const flagWrite = () =>
      useCases.manageFlags.update(acting, { id: flag.id, patch: { description: `change ${n++}` } });
    return { flagWrite, auditedWrite: auditedWrite(uow, tenantId, acting.principal.userId) };
  }
  const variants: ({ name: string } & Awaited<ReturnType<typeof writer>>)[] = [];
  for (const build of builds) {
    for (const [tenant, acting] of [
      ["plain", plainTenant],
      ["enqueued", hookedTenant],
    ] as const) {
      variants.push({ name: `${build.name} ${tenant}`, ...(await writer(build, acting)) });
    }
  }
  // The endpoint was stored behind the use cases' back: forget the cached (empty) list of subscribers.
  await store.cache.delete(`webhook-subscribers:${hookedTenant.home.id}`);

  const messages = async () => Number((await benchDb`select count(*) as n from webhook_messages`)[0]?.n);

  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  const fmt = (v: number) => v.toFixed(0).padStart(6);

  for (const [label, pick, n] of [
    ["audited write", (v: (typeof variants)[number]) => v.auditedWrite, N],
    ["flag write", (v: (typeof variants)[number]) => v.flagWrite, Math.max(BLOCK * 4, N / 4)],
  ] as const) {
    const blocks = variants.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
    for (const variant of variants) for (let i = 0; i < BLOCK * 2; i++) await pick(variant)();
    const before = await messages();
    for (let b = 0; b < n / BLOCK; b++) {
      for (let k = 0; k < variants.length; k++) {
        const index = (b + k) % variants.length;
        const call = pick(variants[index]!);
        const cpuBefore = process.cpuUsage();
        const start = performance.now();
        for (let i = 0; i < BLOCK; i++) await call();
        const wall = ((performance.now() - start) * 1000) / BLOCK;
        const cpu = process.cpuUsage(cpuBefore);
        blocks[index]!.wall.push(wall);
        blocks[index]!.cpu.push((cpu.user + cpu.system) / BLOCK);
      }
    }
    const sent = (await messages()) - before;
    console.log(`${label}: median of ${Math.floor(n / BLOCK)} blocks of ${BLOCK} calls, µs per call`);
    for (const [index, variant] of variants.entries()) {
      const { wall, cpu } = blocks[index]!;
      console.log(`  ${variant.name.padEnd(14)} ${fmt(median(wall))} wall ${fmt(median(cpu))} CPU`);
    }
    for (const build of builds) {
      const plain = blocks[variants.findIndex((v) => v.name === `${build.name} plain`)]!;
      const enqueued = blocks[variants.findIndex((v) => v.name === `${build.name} enqueued`)]!;
      const more = (a: number[], b: number[]) =>
        `${(((median(b) - median(a)) / median(a)) * 100).toFixed(0)}%`;
      console.log(
        `  ${build.name}: enqueuing adds ${more(plain.wall, enqueued.wall)} wall, ${more(plain.cpu, enqueued.cpu)} CPU`,
      );
    }
    console.log(`  (${sent} messages written)`);
  }
} finally {
  await store.close();
  await database.close();
  await benchDb.end();
  await scratch.drop();
}
process.exit(0);
