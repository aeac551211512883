/**
 * Our flag engine beside the official Unleash Node SDK (unleash-client), in one process, on the same
 * flags (the SDK gets them through the app's Unleash converter) and the same 10,000 contexts. Every
 * case is first checked: both must give the same `isEnabled` and `getVariant` for every context and
 * flag, or the run fails. Then each is timed in alternating rounds; the table shows flag evaluations
 * per CPU second, the ratio and whether ours is at least 3x. Run: bun run bench:flags
 * (FLAG_BENCH_SECONDS per round, default 0.4; FLAG_BENCH_ROUNDS, default 5; FLAG_BENCH_CASE filters).
 * The last row is per request, not per flag: the app's engine use case over a whole flag set.
 * Results go to bench/results/flags-<date>.json (FLAG_BENCH_OUT to change).
 */
import { version as sdkVersion } from "unleash-client/package.json";
import type { FlagContext } from "../src/core/domain/flags/types";
import { FLAG_CASES, type FlagCase, flagContexts, requestFlagCase } from "./flag-cases";
import { requestCase } from "./flag-request";
import { answerOf, type Engine, flagSetOf, ourEngine, sdkEngine } from "./flag-sdk";

const TARGET_RATIO = 3;
const SECONDS = Number(process.env.FLAG_BENCH_SECONDS ?? 0.4);
const ROUNDS = Number(process.env.FLAG_BENCH_ROUNDS ?? 5);
const only = process.env.FLAG_BENCH_CASE;
const contexts = flagContexts(10_000);

/** Flags built to give one answer whatever the context; every other flag must give at least two. */
const CONSTANT = new Set(["simple"]);

function assertAgreement(flagCase: FlagCase, ours: Engine, sdk: Engine) {
  const outcomes = new Map(flagCase.keys.map((key) => [key, new Set<string>()]));
  for (const context of contexts) {
    for (const key of flagCase.keys) {
      const answer = answerOf(ours, key, context);
      outcomes.get(key)!.add(`${answer.enabled}/${answer.variant.name}`);
      const mine = JSON.stringify(answer);
      const theirs = JSON.stringify(answerOf(sdk, key, context));
      if (mine !== theirs) {
        throw new Error(
          `${flagCase.name}: ${key} differs for ${JSON.stringify(context)}\n  ours: ${mine}\n  sdk:  ${theirs}`,
        );
      }
    }
  }
  // Two engines that agree on one answer for everything may both be missing the flag.
  const constant = flagCase.keys.filter((key) => !CONSTANT.has(key) && outcomes.get(key)!.size < 2);
  if (constant.length > 0) throw new Error(`${flagCase.name}: one answer for every context: ${constant}`);
}

type Call = (key: string, context: FlagContext) => unknown;

const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/**
 * Flag evaluations per CPU second of `call` over the case's keys and every context, for `seconds` of
 * wall time: CPU time, because other work shares this machine's 2 cores and wall time counts its turns.
 */
function rate(call: Call, keys: string[], seconds: number): number {
  let evaluations = 0;
  let sink = 0;
  const cpuStart = cpuSeconds();
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  let c = 0;
  while (now < end) {
    for (let i = 0; i < 1_000; i++) {
      const context = contexts[c]!;
      c = c + 1 === contexts.length ? 0 : c + 1;
      for (const key of keys) if (call(key, context)) sink++;
    }
    evaluations += 1_000 * keys.length;
    now = performance.now();
  }
  if (sink < 0) console.log(sink);
  return evaluations / (cpuSeconds() - cpuStart);
}

/** Requests per CPU second: `call` evaluates a whole set for one context, as a request does. */
async function requestRate(call: (context: FlagContext) => unknown, seconds: number): Promise<number> {
  let requests = 0;
  const cpuStart = cpuSeconds();
  const end = performance.now() + seconds * 1000;
  let c = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) {
      await call(contexts[c]!);
      c = c + 1 === contexts.length ? 0 : c + 1;
    }
    requests += 100;
  }
  return requests / (cpuSeconds() - cpuStart);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

/** Medians of alternating rounds, so a burst of load on the shared machine hits both alike. */
function compare(ours: Call, sdk: Call, keys: string[]) {
  rate(ours, keys, 0.3);
  rate(sdk, keys, 0.3);
  const mine: number[] = [];
  const theirs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    mine.push(rate(ours, keys, SECONDS));
    theirs.push(rate(sdk, keys, SECONDS));
  }
  return { ours: median(mine), sdk: median(theirs) };
}

const rows: { case: string; call: string; ours: number; sdk: number; ratio: number; met: boolean }[] = [];
for (const flagCase of FLAG_CASES) {
  if (only && !flagCase.name.includes(only)) continue;
  const set = flagSetOf(flagCase);
  const ours = ourEngine(set);
  const sdk = await sdkEngine(set);
  try {
    assertAgreement(flagCase, ours, sdk);
    for (const call of ["isEnabled", "getVariant"] as const) {
      const result = compare(ours[call], sdk[call], flagCase.keys);
      const ratio = result.ours / result.sdk;
      rows.push({ case: flagCase.name, call, ...result, ratio, met: ratio >= TARGET_RATIO });
    }
  } finally {
    sdk.sdk.destroy();
  }
}

if (!only || requestFlagCase.name.includes(only)) {
  const set = flagSetOf(requestFlagCase);
  const sdk = await sdkEngine(set);
  try {
    const request = requestCase(requestFlagCase, set, sdk);
    await request.agree(contexts);
    await requestRate(request.ours, 0.3);
    await requestRate(request.sdk, 0.3);
    const mine: number[] = [];
    const theirs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      mine.push(await requestRate(request.ours, SECONDS));
      theirs.push(await requestRate(request.sdk, SECONDS));
    }
    const [ours, sdkRate] = [median(mine), median(theirs)];
    const ratio = ours / sdkRate;
    rows.push({
      case: requestFlagCase.name,
      call: "request",
      ours,
      sdk: sdkRate,
      ratio,
      met: ratio >= TARGET_RATIO,
    });
  } finally {
    sdk.sdk.destroy();
  }
}

const thousands = (n: number) => `${Math.round(n / 1000).toLocaleString("en")}k`;
console.log(`| case | call | ours / s | SDK / s | ratio | >= ${TARGET_RATIO}x |`);
console.log("|---|---|---|---|---|---|");
for (const row of rows) {
  console.log(
    `| ${row.case} | ${row.call} | ${thousands(row.ours)} | ${thousands(row.sdk)} | ${row.ratio.toFixed(1)}x | ${row.met ? "yes" : "no"} |`,
  );
}
const result = {
  date: new Date().toISOString(),
  sdk: `unleash-client ${sdkVersion}`,
  settings: { secondsPerRound: SECONDS, rounds: ROUNDS, contexts: contexts.length, case: only ?? null },
  agreement: "isEnabled and getVariant (and the request items) equal for every context of every case",
  targetRatio: TARGET_RATIO,
  allMet: rows.every((row) => row.met),
  rows: rows.map((row) => ({ ...row, ours: Math.round(row.ours), sdk: Math.round(row.sdk) })),
};
const out = process.env.FLAG_BENCH_OUT ?? `bench/results/flags-${result.date.slice(0, 10)}.json`;
await Bun.write(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`Results: ${out}`);
