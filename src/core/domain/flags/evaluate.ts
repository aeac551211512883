import { constraintsMatch } from "./constraints";
import { strategyApplies } from "./strategies";
import type {
  FeatureFlag,
  FlagConstraint,
  FlagContext,
  FlagLookup,
  FlagStrategy,
  FlagVariant,
  VariantResult,
} from "./types";
import { selectVariant } from "./variants";

interface Evaluation {
  enabled: boolean;
  strategyVariant?: FlagVariant;
}

function* strategyConstraints(
  strategy: FlagStrategy,
  lookup: FlagLookup,
): Generator<FlagConstraint | undefined> {
  yield* strategy.constraints ?? [];
  for (const id of strategy.segments ?? []) {
    const segment = lookup.segment(id);
    if (!segment) {
      yield undefined;
      return;
    }
    yield* segment.constraints;
  }
}

function parentsSatisfied(feature: FeatureFlag, context: FlagContext, lookup: FlagLookup): boolean {
  return (feature.dependencies ?? []).every((dependency) => {
    const parent = lookup.feature(dependency.feature);
    if (!parent || (parent.dependencies?.length ?? 0) > 0) return false;
    if (dependency.enabled === false) return !evaluate(parent, context, lookup).enabled;
    if (dependency.variants?.length) {
      const variant = getVariant(parent, context, lookup);
      return variant.featureEnabled && dependency.variants.includes(variant.name);
    }
    return evaluate(parent, context, lookup).enabled;
  });
}

function evaluate(feature: FeatureFlag, context: FlagContext, lookup: FlagLookup): Evaluation {
  if (!feature.enabled || !parentsSatisfied(feature, context, lookup)) return { enabled: false };
  const strategies = feature.strategies ?? [];
  if (strategies.length === 0) return { enabled: true };
  for (const strategy of strategies) {
    const parameters = strategy.parameters ?? {};
    const applies =
      strategyApplies(strategy.name, { parameters, context, featureKey: feature.key, lookup }) &&
      constraintsMatch(strategyConstraints(strategy, lookup), context);
    if (!applies) continue;
    if (!strategy.variants?.length) return { enabled: true };
    const groupId = String(parameters.groupId || feature.key);
    const stickiness = parameters.stickiness === undefined ? undefined : String(parameters.stickiness);
    const strategyVariant = selectVariant(strategy.variants, groupId, context, lookup, stickiness);
    return { enabled: true, strategyVariant };
  }
  return { enabled: false };
}

export function isEnabled(feature: FeatureFlag, context: FlagContext, lookup: FlagLookup): boolean {
  return evaluate(feature, context, lookup).enabled;
}

function result(variant: FlagVariant): VariantResult {
  const picked: VariantResult = { name: variant.name, enabled: true, featureEnabled: true };
  if (variant.payload) picked.payload = variant.payload;
  return picked;
}

export function getVariant(feature: FeatureFlag, context: FlagContext, lookup: FlagLookup): VariantResult {
  const evaluation = evaluate(feature, context, lookup);
  if (!evaluation.enabled) return { name: "disabled", enabled: false, featureEnabled: false };
  if (evaluation.strategyVariant) return result(evaluation.strategyVariant);
  const variant = selectVariant(feature.variants ?? [], feature.key, context, lookup);
  return variant ? result(variant) : { name: "disabled", enabled: false, featureEnabled: true };
}
