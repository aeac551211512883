import { constraintsMatch } from "./constraints";
import { strategyApplies } from "./strategies";
import type {
  FeatureFlag,
  FlagContext,
  FlagLookup,
  FlagSegment,
  FlagStrategy,
  FlagVariant,
  SegmentId,
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

/**
 * Evaluates flags for one context. Within it a flag is evaluated once and a segment's constraints
 * are checked once, however many flags depend on that flag or strategies list that segment: the
 * work of evaluating a whole flag set is bounded by what is stored, not by how often it is reused.
 */
export function evaluator(context: FlagContext, lookup: FlagLookup) {
  const evaluations = new Map<FeatureFlag, Evaluation>();
  const variants = new Map<FeatureFlag, VariantResult>();
  const segments = new Map<FlagSegment, boolean>();

  function segmentMatches(id: SegmentId): boolean {
    const segment = lookup.segment(id);
    if (!segment) return false;
    let matches = segments.get(segment);
    if (matches === undefined) {
      matches = constraintsMatch(segment.constraints, context);
      segments.set(segment, matches);
    }
    return matches;
  }

  function strategyConstraintsMatch(strategy: FlagStrategy): boolean {
    if (strategy.constraints && !constraintsMatch(strategy.constraints, context)) return false;
    for (const id of strategy.segments ?? []) if (!segmentMatches(id)) return false;
    return true;
  }

  function parentsSatisfied(feature: FeatureFlag): boolean {
    return (feature.dependencies ?? []).every((dependency) => {
      const parent = lookup.feature(dependency.feature);
      if (!parent || (parent.dependencies?.length ?? 0) > 0) return false;
      if (dependency.enabled === false) return !evaluate(parent).enabled;
      if (dependency.variants?.length) {
        const variant = variantOf(parent);
        return variant.featureEnabled && dependency.variants.includes(variant.name);
      }
      return evaluate(parent).enabled;
    });
  }

  function evaluateOnce(feature: FeatureFlag): Evaluation {
    if (!feature.enabled) return DISABLED;
    if (!parentsSatisfied(feature)) return DEPENDENCY_NOT_MET;
    const strategies = feature.strategies ?? [];
    if (strategies.length === 0) return ENABLED_FOR_ALL;
    for (const strategy of strategies) {
      const parameters = strategy.parameters ?? {};
      const applies =
        strategyApplies(strategy.name, { parameters, context, featureKey: feature.key, lookup }) &&
        strategyConstraintsMatch(strategy);
      if (!applies) continue;
      if (!strategy.variants?.length) return STRATEGY_MATCHED;
      const groupId = String(parameters.groupId || feature.key);
      const stickiness = parameters.stickiness === undefined ? undefined : String(parameters.stickiness);
      const strategyVariant = selectVariant(strategy.variants, groupId, context, lookup, stickiness);
      return { enabled: true, reason: "strategy_matched", strategyVariant };
    }
    return NO_STRATEGY_MATCHED;
  }

  function evaluate(feature: FeatureFlag): Evaluation {
    let evaluation = evaluations.get(feature);
    if (!evaluation) {
      evaluation = evaluateOnce(feature);
      evaluations.set(feature, evaluation);
    }
    return evaluation;
  }

  function variantOf(feature: FeatureFlag): VariantResult {
    let variant = variants.get(feature);
    if (!variant) {
      variant = pickVariant(feature, evaluate(feature), context, lookup);
      variants.set(feature, variant);
    }
    return variant;
  }

  return {
    isEnabled: (feature: FeatureFlag) => evaluate(feature).enabled,
    getVariant: variantOf,
    /** The flag's state and variant for the context, and why. */
    explain(feature: FeatureFlag): Explanation {
      const { enabled, reason } = evaluate(feature);
      return { enabled, variant: variantOf(feature), reason };
    },
  };
}

function result(variant: FlagVariant): VariantResult {
  const picked: VariantResult = { name: variant.name, enabled: true, featureEnabled: true };
  if (variant.payload) picked.payload = variant.payload;
  return picked;
}

function pickVariant(
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

export function isEnabled(feature: FeatureFlag, context: FlagContext, lookup: FlagLookup): boolean {
  return evaluator(context, lookup).isEnabled(feature);
}

export function getVariant(feature: FeatureFlag, context: FlagContext, lookup: FlagLookup): VariantResult {
  return evaluator(context, lookup).getVariant(feature);
}

export interface Explanation {
  enabled: boolean;
  variant: VariantResult;
  reason: EvaluationReason;
}

/** The flag's state and variant for the context, and why. */
export function explain(feature: FeatureFlag, context: FlagContext, lookup: FlagLookup): Explanation {
  return evaluator(context, lookup).explain(feature);
}
