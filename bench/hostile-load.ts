/**
 * The load half of bench/hostile.ts: `connections` clients sending the hostile evaluate for
 * `seconds` (wrk when installed, else a fetch loop in a child process), while this process asks
 * for `GET /health` one request at a time and records how long each took.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Random a/A/b/B text: no `c` or `z`, so the bench's inverted constraints all pass. */
function noise(length: number): string {
  return Array.from({ length }, () => "aAbB"[Math.floor(Math.random() * 4)]).join("");
}

/** Every context field and property at its longest. */
export function hostileContext() {
  return {
    userId: noise(200),
    sessionId: noise(200),
    remoteAddress: "192.0.2.1",
    environment: noise(200),
    appName: noise(200),
    properties: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`p${i}`, noise(256)])),
  };
}

interface LoadOptions {
  base: string;
  token: string;
  bodies: string[];
  dir: string;
  seconds: number;
  connections: number;
}

async function wrk({ base, token, bodies, dir, seconds, connections }: LoadOptions) {
  await writeFile(join(dir, "token.txt"), `${token}\n`);
  await writeFile(join(dir, "body.txt"), `${bodies.join("\n")}\n`);
  const child = Bun.spawn(
    [
      "wrk",
      "-t2",
      `-c${connections}`,
      `-d${seconds}s`,
      "--timeout",
      "30s",
      "-s",
      join(import.meta.dir, "wrk", "request.lua"),
      `${base}/api/v1/features/evaluate`,
    ],
    {
      env: {
        ...process.env,
        BENCH_METHOD: "POST",
        BENCH_PATH: "/api/v1/features/evaluate",
        BENCH_TOKENS: join(dir, "token.txt"),
        BENCH_BODIES: join(dir, "body.txt"),
      },
      stdout: "pipe",
      stderr: "inherit",
    },
  );
  return { child, result: new Response(child.stdout).text() };
}

/** The fallback client: `connections` sequential loops until the deadline, each request timed. */
async function fetchLoop({ base, token, bodies, seconds, connections }: LoadOptions) {
  const deadline = Date.now() + seconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  await Promise.all(
    Array.from({ length: connections }, async (_, client) => {
      for (let i = client; Date.now() < deadline; i++) {
        const body = bodies[i % bodies.length];
        const start = performance.now();
        const res = await fetch(`${base}/api/v1/features/evaluate`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body,
        }).catch(() => null);
        await res?.text();
        if (!res?.ok) errors++;
        latencies.push(performance.now() - start);
      }
    }),
  );
  return {
    requests: latencies.length,
    durationUs: seconds * 1e6,
    non2xx: errors,
    socketErrors: 0,
    p50Us: percentile(latencies, 50) * 1000,
    p99Us: percentile(latencies, 99) * 1000,
    maxUs: Math.max(...latencies) * 1000,
  };
}

export async function hostileLoad(options: LoadOptions) {
  const useWrk = Bun.which("wrk") !== null;
  let done: Promise<string>;
  let stop: () => void;
  if (useWrk) {
    const { child, result } = await wrk(options);
    done = result;
    stop = () => child.kill();
  } else {
    const child = Bun.spawn(["bun", import.meta.path, JSON.stringify(options)], {
      stdout: "pipe",
      stderr: "inherit",
    });
    done = new Response(child.stdout).text();
    stop = () => child.kill();
  }
  // The health client starts once the load is under way and stops before it ends.
  await Bun.sleep(1_000);
  const health: number[] = [];
  const until = Date.now() + (options.seconds - 2) * 1000;
  try {
    while (Date.now() < until) {
      const start = performance.now();
      const res = await fetch(`${options.base}/health`);
      await res.text();
      health.push(performance.now() - start);
    }
  } catch (error) {
    stop();
    throw error;
  }
  const line = (await done)
    .trim()
    .split("\n")
    .findLast((l) => l.startsWith("{"));
  if (!line) throw new Error("the load client printed no result");
  const load = JSON.parse(line) as {
    requests: number;
    durationUs: number;
    non2xx: number;
    socketErrors: number;
    p50Us: number;
    p99Us: number;
    maxUs: number;
  };
  return {
    client: useWrk ? "wrk" : "fetch loop",
    connections: options.connections,
    seconds: options.seconds,
    evaluate: {
      requestsPerSecond: Math.round(load.requests / (load.durationUs / 1e6)),
      p50Ms: load.p50Us / 1000,
      p99Ms: load.p99Us / 1000,
      maxMs: load.maxUs / 1000,
      errors: load.non2xx + load.socketErrors,
    },
    health: {
      requests: health.length,
      p50Ms: Number(percentile(health, 50).toFixed(2)),
      p99Ms: Number(percentile(health, 99).toFixed(2)),
      maxMs: Number(Math.max(...health).toFixed(2)),
    },
  };
}

if (import.meta.main) {
  const result = await fetchLoop(JSON.parse(process.argv[2]!) as LoadOptions);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
