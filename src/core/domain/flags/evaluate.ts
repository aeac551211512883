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

/** Why a flag evaluated as it did. */
export type EvaluationReason =
  | "disabled"
  | "dependency_not_met"
  | "enabled_for_all"
  | "strategy_matched"
  | "no_strategy_matched";

interface Evaluation {
  enabled: boolean;
  reason: EvaluationReason;
  strategyVariant?: FlagVariant;
}

const DISABLED: Evaluation = { enabled: false, reason: "disabled" };
const DEPENDENCY_NOT_MET: Evaluation = { enabled: false, reason: "dependency_not_met" };
const ENABLED_FOR_ALL: Evaluation = { enabled: true, reason: "enabled_for_all" };
const STRATEGY_MATCHED: Evaluation = { enabled: true, reason: "strategy_matched" };
const NO_STRATEGY_MATCHED: Evaluation = { enabled: false, reason: "no_strategy_matched" };

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
  if (!feature.enabled) return DISABLED;
  if (!parentsSatisfied(feature, context, lookup)) return DEPENDENCY_NOT_MET;
  const strategies = feature.strategies ?? [];
  if (strategies.length === 0) return ENABLED_FOR_ALL;
  for (const strategy of strategies) {
    const parameters = strategy.parameters ?? {};
    const applies =
      strategyApplies(strategy.name, { parameters, context, featureKey: feature.key, lookup }) &&
      constraintsMatch(strategyConstraints(strategy, lookup), context);
    if (!applies) continue;
    if (!strategy.variants?.length) return STRATEGY_MATCHED;
    const groupId = String(parameters.groupId || feature.key);
    const stickiness = parameters.stickiness === undefined ? undefined : String(parameters.stickiness);
    const strategyVariant = selectVariant(strategy.variants, groupId, context, lookup, stickiness);
    return { enabled: true, reason: "strategy_matched", strategyVariant };
  }
  return NO_STRATEGY_MATCHED;
}

export function isEnabled(feature: FeatureFlag, context: FlagContext, lookup: FlagLookup): boolean {
  return evaluate(feature, context, lookup).enabled;
}

function result(variant: FlagVariant): VariantResult {
  const picked: VariantResult = { name: variant.name, enabled: true, featureEnabled: true };
  if (variant.payload) picked.payload = variant.payload;
  return picked;
}

function variantOf(
  feature: FeatureFlag,
  evaluation: Evaluation,
  context: FlagContext,
  lookup: FlagLookup,
): VariantResult {
  if (!evaluation.enabled) return { name: "disabled", enabled: false, featureEnabled: false };
  if (evaluation.strategyVariant) return result(evaluation.strategyVariant);
  const variant = selectVariant(feature.variants ?? [], feature.key, context, lookup);
  return variant ? result(variant) : { name: "disabled", enabled: false, featureEnabled: true };
}

export function getVariant(feature: FeatureFlag, context: FlagContext, lookup: FlagLookup): VariantResult {
  return variantOf(feature, evaluate(feature, context, lookup), context, lookup);
}

export interface Explanation {
  enabled: boolean;
  variant: VariantResult;
  reason: EvaluationReason;
}

/** The flag's state and variant for the context, and why. */
export function explain(feature: FeatureFlag, context: FlagContext, lookup: FlagLookup): Explanation {
  const evaluation = evaluate(feature, context, lookup);
  return {
    enabled: evaluation.enabled,
    variant: variantOf(feature, evaluation, context, lookup),
    reason: evaluation.reason,
  };
}
