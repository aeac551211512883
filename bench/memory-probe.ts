/**
 * Benchmark-only: preloaded into the app by `bench/load.ts` when BENCH_MEMORY is set (never by the app
 * itself). On SIGUSR2 it writes the process's memory, as the OS and as JavaScriptCore see it, to
 * BENCH_MEMORY_FILE as one JSON object: first as it is, then after a full collection when
 * BENCH_MEMORY_GC is set (or `<BENCH_MEMORY_FILE>.gc` exists, for one call). A heap snapshot is written beside it when `<BENCH_MEMORY_FILE>.snapshot`
 * exists (the file names where).
 */

import { gcAndSweep, heapStats, memoryUsage as jscMemoryUsage } from "bun:jsc";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";

const out = process.env.BENCH_MEMORY_FILE;
const collect = Boolean(process.env.BENCH_MEMORY_GC);

const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

function procStatus() {
  const fields: Record<string, number> = {};
  for (const line of readFileSync("/proc/self/status", "utf8").split("\n")) {
    const match = /^(VmRSS|VmHWM|RssAnon|RssFile|RssShmem):\s+(\d+) kB/.exec(line);
    if (match) fields[match[1]!] = Math.round(Number(match[2]) / 102.4) / 10;
  }
  return fields;
}

function sample() {
  const stats = heapStats();
  const usage = process.memoryUsage();
  const jsc = jscMemoryUsage();
  const top = Object.entries(stats.objectTypeCounts)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25);
  return {
    proc: procStatus(),
    heapSizeMb: mb(stats.heapSize),
    heapCapacityMb: mb(stats.heapCapacity),
    extraMemoryMb: mb(stats.extraMemorySize),
    objectCount: stats.objectCount,
    protectedObjectCount: stats.protectedObjectCount,
    memoryUsage: {
      rss: mb(usage.rss),
      heapTotal: mb(usage.heapTotal),
      heapUsed: mb(usage.heapUsed),
      external: mb(usage.external),
      arrayBuffers: mb(usage.arrayBuffers),
    },
    jsc: {
      currentMb: mb(jsc.current),
      peakMb: mb(jsc.peak),
      currentCommitMb: mb(jsc.currentCommit),
      peakCommitMb: mb(jsc.peakCommit),
    },
    mimalloc: mimalloc(stats),
    topTypes: Object.fromEntries(top),
  };
}

/** What Bun's native allocator holds: committed pages against what is allocated in them. */
function mimalloc(stats: ReturnType<typeof heapStats>) {
  const m = (stats as { mimalloc?: Record<string, { current?: number; total?: number }> }).mimalloc;
  if (!m) return null;
  const current = (name: string) => mb(m[name]?.current ?? 0);
  return {
    committedMb: current("committed"),
    pageCommittedMb: current("page_committed"),
    mallocNormalMb: current("malloc_normal"),
    mallocHugeMb: current("malloc_huge"),
    purgedTotalMb: mb((m.purged as unknown as number) ?? 0),
  };
}

process.on("SIGUSR2", () => {
  if (!out) return;
  const report: Record<string, unknown> = { before: sample() };
  const collectNow = `${out}.gc`;
  if (collect || existsSync(collectNow)) {
    const how = existsSync(collectNow) ? readFileSync(collectNow, "utf8").trim() : "";
    rmSync(collectNow, { force: true });
    const started = performance.now();
    if (how === "sweep") gcAndSweep();
    else Bun.gc(true);
    report.how = how || "Bun.gc(true)";
    report.gcMs = Math.round(performance.now() - started);
    report.afterGc = sample();
  }
  const request = `${out}.snapshot`;
  if (existsSync(request)) {
    const file = readFileSync(request, "utf8").trim();
    rmSync(request);
    writeFileSync(file, JSON.stringify(Bun.generateHeapSnapshot()));
    report.snapshot = file;
  }
  writeFileSync(out, JSON.stringify(report));
});
