/**
 * Micro benchmark of the flag engine (no I/O): single-flag evaluations per second on one core, for a
 * flag with 3 strategies and 5 constraints, over 10,000 distinct users. Run: bun run bench:flags
 */
import { getVariant, isEnabled } from "../src/core/domain/flags/evaluate";
import type { FeatureFlag, FlagContext, FlagLookup } from "../src/core/domain/flags/types";
import { sampleFlag } from "./sample-flag";

const flag: FeatureFlag = sampleFlag("new-checkout", ["pro", "enterprise"]);

const lookup: FlagLookup = { feature: () => undefined, segment: () => undefined };
const contexts: FlagContext[] = Array.from({ length: 10_000 }, (_, i) => ({
  userId: `user-${i}`,
  tenantId: "tenant-1",
  plan: i % 3 === 0 ? "pro" : "free",
  role: i % 5 === 0 ? "guest" : "member",
  appName: "web-app",
  properties: { seats: String(i % 20), version: i % 2 === 0 ? "2.4.1" : "2.1.0" },
}));

function measure(name: string, evaluate: (context: FlagContext) => unknown, seconds = 2) {
  for (let i = 0; i < 200_000; i++) evaluate(contexts[i % contexts.length]!); // warm-up (JIT)
  let count = 0;
  let sink = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 10_000; i++) if (evaluate(contexts[(count + i) % contexts.length]!)) sink++;
    count += 10_000;
  }
  const perSecond = Math.round(count / seconds);
  console.log(
    JSON.stringify({ benchmark: name, evaluationsPerSecond: perSecond, enabledShare: sink / count }),
  );
  return perSecond;
}

const enabled = measure("isEnabled", (context) => isEnabled(flag, context, lookup));
const variant = measure("getVariant", (context) => getVariant(flag, context, lookup).enabled);
console.log(
  JSON.stringify({
    target: 1_000_000,
    isEnabledMeetsTarget: enabled >= 1_000_000,
    getVariantPerSecond: variant,
  }),
);
