import { contextValue } from "./context-value";
import { bucketsOf, VARIANT_SEED } from "./normalized-value";
import type { FlagContext, FlagLookup, FlagVariant, VariantResult } from "./types";

type Seed = (context: FlagContext, lookup: FlagLookup) => string;

interface Override {
  result: VariantResult;
  rules: { contextName: string; values: Set<string> }[];
}

/** A variant list with what picking from it needs derived once: weights, overrides, stickiness. */
export interface Variants {
  totalWeight: number;
  /** Running weight totals, and the variant each reaches (variants of weight 0 are left out). */
  ends: number[];
  results: VariantResult[];
  overrides: Override[];
  bucket: (stickiness: string) => number;
  seed: Seed;
}

function randomSeed(lookup: FlagLookup): string {
  return String(Math.round((lookup.random ?? Math.random)() * 10000) + 1);
}

function seedOf(stickiness: string | undefined): Seed {
  if (stickiness && stickiness !== "default") {
    return (context, lookup) => contextValue(context, stickiness) ?? randomSeed(lookup);
  }
  return (context, lookup) =>
    context.userId || context.sessionId || context.remoteAddress || randomSeed(lookup);
}

/** What a picked variant answers; one frozen object per variant, shared by every evaluation. */
function resultOf(variant: FlagVariant): VariantResult {
  const result: VariantResult = { name: variant.name, enabled: true, featureEnabled: true };
  if (variant.payload) result.payload = variant.payload;
  return Object.freeze(result);
}

/**
 * The variants as picking needs them, for the group `groupId`. Stickiness is the first variant's,
 * else `fallbackStickiness` (a strategy's own), else default. Undefined when there is nothing to
 * pick from: no variants, or no weight.
 */
export function compileVariants(
  variants: FlagVariant[] | undefined,
  groupId: string,
  fallbackStickiness?: string,
): Variants | undefined {
  if (!variants?.length) return undefined;
  const totalWeight = variants.reduce((sum, variant) => sum + variant.weight, 0);
  if (totalWeight <= 0) return undefined;
  const compiled: Variants = {
    totalWeight,
    ends: [],
    results: [],
    overrides: [],
    bucket: bucketsOf(groupId, totalWeight, VARIANT_SEED),
    seed: seedOf(variants[0]?.stickiness ?? fallbackStickiness),
  };
  let end = 0;
  for (const variant of variants) {
    const result = resultOf(variant);
    if (variant.overrides?.length) {
      const rules = variant.overrides.map(({ contextName, values }) => ({
        contextName,
        values: new Set(values),
      }));
      compiled.overrides.push({ result, rules });
    }
    if (variant.weight === 0) continue;
    end += variant.weight;
    compiled.ends.push(end);
    compiled.results.push(result);
  }
  return compiled;
}

function override(overrides: Override[], context: FlagContext): VariantResult | undefined {
  for (const { result, rules } of overrides) {
    for (const { contextName, values } of rules) {
      const actual = contextValue(context, contextName);
      if (actual !== undefined && values.has(actual)) return result;
    }
  }
  return undefined;
}

/** The variant Unleash would pick: an override first, else a weighted, sticky bucket. */
export function selectVariant(
  variants: Variants,
  context: FlagContext,
  lookup: FlagLookup,
): VariantResult | undefined {
  if (variants.overrides.length > 0) {
    const overridden = override(variants.overrides, context);
    if (overridden) return overridden;
  }
  const target = variants.bucket(variants.seed(context, lookup));
  const { ends, results } = variants;
  for (let i = 0; i < ends.length; i++) if (ends[i]! >= target) return results[i];
  return undefined;
}
