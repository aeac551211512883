import { type EvaluationReason, evaluator } from "../../domain/flags/evaluate";
import type { FlagContext, FlagLookup, VariantPayload } from "../../domain/flags/types";
import type { Telemetry } from "../../ports/telemetry";
import { makeEvaluationTurns } from "./evaluation-turns";
import type { FlagSet } from "./flag-definitions";

export interface FlagEvaluation {
  key: string;
  enabled: boolean;
  variant: { name: string; enabled: boolean; payload?: VariantPayload };
  reason: EvaluationReason | "not_found";
}

export interface FlagEngineDeps {
  /** This machine's name, for the applicationHostname strategy. */
  hostname: string;
  telemetry: Pick<Telemetry, "flagsEvaluated">;
}

const DISABLED_VARIANT = { name: "disabled", enabled: false } as const;

/**
 * Evaluates flags of one set for one complete context: what `POST /api/v1/features/evaluate` and the
 * Unleash frontend API both run, so the two can never answer differently for the same context.
 * Yields between flags (evaluation turns) so a large request cannot hold the event loop.
 */
export function makeFlagEngine({ hostname, telemetry }: FlagEngineDeps) {
  const turns = makeEvaluationTurns();
  // One lookup per set of definitions, not one per request.
  const lookups = new WeakMap<FlagSet, FlagLookup>();
  // Every key of a set, listed once per set of definitions (spreading the map's keys on every
  // request that evaluates all of them cost more than walking the list).
  const allKeys = new WeakMap<FlagSet, readonly string[]>();
  const keysOf = (set: FlagSet) => {
    let keys = allKeys.get(set);
    if (!keys) {
      keys = Object.freeze([...set.flags.keys()]);
      allKeys.set(set, keys);
    }
    return keys;
  };
  const lookupOf = (set: FlagSet) => {
    let lookup = lookups.get(set);
    if (!lookup) {
      lookup = { ...set.lookup, hostname };
      lookups.set(set, lookup);
    }
    return lookup;
  };

  return async function evaluateInSet(
    set: FlagSet,
    context: FlagContext,
    keys: readonly string[] = keysOf(set),
  ): Promise<FlagEvaluation[]> {
    // One evaluator for the whole request: a parent or a segment many flags share is evaluated once.
    const run = evaluator(context, lookupOf(set));
    const clock = turns.start();
    const results: FlagEvaluation[] = [];
    let enabledCount = 0;
    let disabledCount = 0;
    for (const key of keys) {
      const turn = clock.pause();
      if (turn) await turn;
      const flag = set.flags.get(key);
      if (!flag) {
        results.push({ key, enabled: false, variant: DISABLED_VARIANT, reason: "not_found" });
        continue;
      }
      const { enabled, variant, reason } = run.explain(flag);
      if (enabled) enabledCount++;
      else disabledCount++;
      if (!variant.enabled && variant.name === "disabled") {
        results.push({ key, enabled, variant: DISABLED_VARIANT, reason });
        continue;
      }
      const shown: FlagEvaluation["variant"] = { name: variant.name, enabled: variant.enabled };
      if (variant.payload) shown.payload = variant.payload;
      results.push({ key, enabled, variant: shown, reason });
    }
    telemetry.flagsEvaluated("enabled", enabledCount);
    telemetry.flagsEvaluated("disabled", disabledCount);
    telemetry.flagsEvaluated("not_found", keys.length - enabledCount - disabledCount);
    return results;
  };
}

export type FlagEngine = ReturnType<typeof makeFlagEngine>;
