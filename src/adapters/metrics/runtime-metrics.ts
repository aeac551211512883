import { heapSize } from "bun:jsc";
import { readdirSync, readFileSync } from "node:fs";
import { Counter, Gauge, Histogram, type Metric, type Registry } from "prom-client";

/**
 * What the process and the Bun runtime report about themselves, read at scrape time. Replaces
 * prom-client's default metrics, which read Node's V8 APIs and misreport on Bun (a heap "used" above
 * its "total", a Node version Bun is not). The names follow Prometheus' own conventions for process_*
 * metrics; bun_* metrics come from JavaScriptCore. Bun's process.memoryUsage() heapUsed and heapTotal
 * are not used: they lag (heapUsed moves only at collections) and contradict each other. Nor is bun:jsc
 * heapStats() (its capacity and object counts): it walks the heap, ~200 ms with 2 million objects,
 * too long to block the event loop at every scrape.
 *
 * The runtime is one per process, so these metrics are made once and registered on every registry
 * that asks (tests build many apps in one process).
 */
export function registerRuntimeMetrics(registry: Registry): void {
  runtimeMetrics ??= createRuntimeMetrics();
  for (const metric of runtimeMetrics) registry.registerMetric(metric);
}

let runtimeMetrics: Metric[] | undefined;

const LAG_SAMPLE_INTERVAL_MS = 100;

function createRuntimeMetrics(): Metric[] {
  const registers: Registry[] = [];
  const startTimeSeconds = Date.now() / 1000 - process.uptime();
  let cpuSeen = { user: 0, system: 0 };
  const cpuSystem = new Counter({
    name: "process_cpu_system_seconds_total",
    help: "System CPU time spent",
    registers,
  });
  const cpuTotal = new Counter({
    name: "process_cpu_seconds_total",
    help: "User and system CPU time spent",
    registers,
  });
  const cpuUser = new Counter({
    name: "process_cpu_user_seconds_total",
    help: "User CPU time spent",
    registers,
    // Read first of the three (in registration order), so it moves all three. Counters only go up:
    // each scrape adds what was spent since the previous one.
    collect() {
      const now = process.cpuUsage();
      const user = (now.user - cpuSeen.user) / 1e6;
      const system = (now.system - cpuSeen.system) / 1e6;
      cpuSeen = now;
      this.inc(user);
      cpuSystem.inc(system);
      cpuTotal.inc(user + system);
    },
  });
  const metrics: Metric[] = [
    cpuUser,
    cpuSystem,
    cpuTotal,
    new Gauge({
      name: "process_start_time_seconds",
      help: "Start time of the process since the Unix epoch",
      registers,
      collect() {
        this.set(startTimeSeconds);
      },
    }),
    new Gauge({
      name: "process_resident_memory_bytes",
      help: "Resident memory size (RSS)",
      registers,
      collect() {
        this.set(process.memoryUsage.rss());
      },
    }),
    new Gauge({
      name: "bun_jsc_heap_size_bytes",
      help: "Bytes the JavaScriptCore heap holds for live cells, with the memory they own outside it (bun:jsc heapSize)",
      registers,
      collect() {
        this.set(heapSize());
      },
    }),
    new Gauge({
      name: "bun_jsc_extra_memory_bytes",
      help: "Of the heap size, the memory cells own outside the heap (ArrayBuffers, large strings)",
      registers,
      collect() {
        this.set(process.memoryUsage().external);
      },
    }),
    eventLoopLag(registers),
  ];
  metrics.push(...fileDescriptorMetrics(registers));
  return metrics;
}

/**
 * How late a timer fires, sampled every 100 ms: the time a request waits before the event loop gets
 * to it. A histogram, so any window's quantiles can be read (histogram_quantile) by any number of
 * scrapers. The sampler does not keep the process alive.
 */
function eventLoopLag(registers: Registry[]): Histogram {
  const lag = new Histogram({
    name: "bun_event_loop_lag_seconds",
    help: "Delay of a 100 ms timer beyond its due time, sampled every 100 ms",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const sample = () => {
    const due = performance.now() + LAG_SAMPLE_INTERVAL_MS;
    setTimeout(() => {
      lag.observe(Math.max(0, performance.now() - due) / 1000);
      sample();
    }, LAG_SAMPLE_INTERVAL_MS).unref();
  };
  sample();
  return lag;
}

/** Open and maximum file descriptors, where /proc tells them (Linux); nothing elsewhere. */
function fileDescriptorMetrics(registers: Registry[]): Metric[] {
  const limit = readOpenFilesLimit();
  if (limit === null) return [];
  return [
    new Gauge({
      name: "process_open_fds",
      help: "Open file descriptors (sockets, files, pipes)",
      registers,
      collect() {
        // Less the descriptor that reading the directory opens.
        this.set(readdirSync("/proc/self/fd").length - 1);
      },
    }),
    new Gauge({
      name: "process_max_fds",
      help: "The soft limit on open file descriptors",
      registers,
      collect() {
        this.set(limit);
      },
    }),
  ];
}

function readOpenFilesLimit(): number | null {
  try {
    readdirSync("/proc/self/fd");
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((row) => row.startsWith("Max open files"));
    const soft = line?.split(/\s{2,}/)[1];
    return soft && /^\d+$/.test(soft) ? Number(soft) : null;
  } catch {
    return null;
  }
}
