import { contextValue } from "./context-value";
import { normalizedValue, VARIANT_SEED } from "./normalized-value";
import type { FlagContext, FlagLookup, FlagVariant, VariantOverride } from "./types";

const DEFAULT_STICKINESS_FIELDS = ["userId", "sessionId", "remoteAddress"] as const;

function seedValue(context: FlagContext, stickiness: string | undefined, lookup: FlagLookup): string {
  const random = () => String(Math.round((lookup.random ?? Math.random)() * 10000) + 1);
  if (stickiness && stickiness !== "default") return contextValue(context, stickiness) ?? random();
  for (const field of DEFAULT_STICKINESS_FIELDS) {
    const value = context[field];
    if (value) return value;
  }
  return random();
}

const overrideValues = new WeakMap<VariantOverride, Set<string>>();

function valuesOf(rule: VariantOverride): Set<string> {
  let values = overrideValues.get(rule);
  if (!values) {
    values = new Set(rule.values);
    overrideValues.set(rule, values);
  }
  return values;
}

function override(variants: FlagVariant[], context: FlagContext): FlagVariant | undefined {
  return variants.find((variant) =>
    variant.overrides?.some((rule) => {
      const actual = contextValue(context, rule.contextName);
      return actual !== undefined && valuesOf(rule).has(actual);
    }),
  );
}

/**
 * The variant Unleash would pick: an override first, else a weighted, sticky bucket. Stickiness is
 * the first variant's, else `fallbackStickiness` (a strategy's own), else default.
 */
export function selectVariant(
  variants: FlagVariant[],
  groupId: string,
  context: FlagContext,
  lookup: FlagLookup,
  fallbackStickiness?: string,
): FlagVariant | undefined {
  const totalWeight = variants.reduce((sum, variant) => sum + variant.weight, 0);
  if (totalWeight <= 0) return undefined;
  const overridden = override(variants, context);
  if (overridden) return overridden;
  const seed = seedValue(context, variants[0]?.stickiness ?? fallbackStickiness, lookup);
  const target = normalizedValue(seed, groupId, totalWeight, VARIANT_SEED);
  let counter = 0;
  return variants.find((variant) => {
    if (variant.weight === 0) return false;
    counter += variant.weight;
    return counter >= target;
  });
}
