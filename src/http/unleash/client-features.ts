import type { FeatureFlag, FlagStrategy, FlagVariant } from "../../core/domain/flags/types";
import type { FlagSet } from "../../core/usecases/flags/flag-definitions";

/**
 * A flag set in the shape of Unleash's `GET /api/client/features` (format version 2: segments
 * listed once, strategies refer to them by id), which every server-side Unleash SDK evaluates
 * locally. Our `key` is Unleash's `name`. Fields Unleash's project model has and we do not are
 * given Unleash's defaults (`project: "default"`, `stale: false`, `impressionData: false`).
 */
export function presentClientFeatures(set: FlagSet) {
  return {
    version: 2,
    features: [...set.flags.values()].map(presentClientFeature),
    segments: [...set.segments.values()].map(({ id, name, constraints }) => ({ id, name, constraints })),
  };
}

export type ClientFeatures = ReturnType<typeof presentClientFeatures>;

function presentClientFeature(flag: FeatureFlag) {
  return {
    name: flag.key,
    // Unleash's flag types are about lifecycle (release, experiment...); ours are value types.
    type: "release",
    description: flag.description ?? null,
    enabled: flag.enabled,
    stale: false,
    impressionData: false,
    project: "default",
    strategies: (flag.strategies ?? []).map(presentStrategy),
    variants: (flag.variants ?? []).map(presentVariant),
    dependencies: flag.dependencies ?? [],
  };
}

function presentStrategy(strategy: FlagStrategy) {
  return {
    name: strategy.name,
    constraints: strategy.constraints ?? [],
    // Unleash's parameters are strings; the SDKs parse the numbers they need.
    parameters: Object.fromEntries(
      Object.entries(strategy.parameters ?? {}).map(([name, value]) => [name, String(value)]),
    ),
    segments: strategy.segments ?? [],
    variants: (strategy.variants ?? []).map(presentVariant),
  };
}

function presentVariant(variant: FlagVariant) {
  return {
    name: variant.name,
    weight: variant.weight,
    weightType: "variable",
    stickiness: variant.stickiness ?? "default",
    ...(variant.payload ? { payload: variant.payload } : {}),
    ...(variant.overrides ? { overrides: variant.overrides } : {}),
  };
}
