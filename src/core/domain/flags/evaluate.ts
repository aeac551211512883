import { compiledFlag, segmentChecks } from "./compiled-flag";
import type { Check } from "./constraints";
import type { FeatureFlag, FlagContext, FlagLookup, FlagSegment, SegmentId, VariantResult } from "./types";
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
  strategyVariant?: VariantResult;
}

const DISABLED: Evaluation = { enabled: false, reason: "disabled" };
const DEPENDENCY_NOT_MET: Evaluation = { enabled: false, reason: "dependency_not_met" };
const ENABLED_FOR_ALL: Evaluation = { enabled: true, reason: "enabled_for_all" };
const STRATEGY_MATCHED: Evaluation = { enabled: true, reason: "strategy_matched" };
const NO_STRATEGY_MATCHED: Evaluation = { enabled: false, reason: "no_strategy_matched" };

// Shared by every evaluation, so frozen: a caller that changed one would change them all.
const FEATURE_DISABLED: VariantResult = Object.freeze({
  name: "disabled",
  enabled: false,
  featureEnabled: false,
});
const NO_VARIANT: VariantResult = Object.freeze({ name: "disabled", enabled: false, featureEnabled: true });

function checksPass(checks: Check[], context: FlagContext): boolean {
  for (let i = 0; i < checks.length; i++) if (!checks[i]!(context)) return false;
  return true;
}

/**
 * Evaluates flags for one context. Within it a flag is evaluated once and a segment's constraints
 * are checked once, however many flags depend on that flag or strategies list that segment: the
 * work of evaluating a whole flag set is bounded by what is stored, not by how often it is reused.
 * Each memo is made on first use.
 */
class Evaluator {
  private evaluations?: Map<FeatureFlag, Evaluation>;
  private variants?: Map<FeatureFlag, VariantResult>;
  private segments?: Map<FlagSegment, boolean>;

  constructor(
    private readonly context: FlagContext,
    private readonly lookup: FlagLookup,
  ) {}

  isEnabled(feature: FeatureFlag): boolean {
    return this.evaluate(feature).enabled;
  }

  getVariant(feature: FeatureFlag): VariantResult {
    this.variants ??= new Map();
    let variant = this.variants.get(feature);
    if (!variant) {
      variant = pickVariant(feature, this.evaluate(feature), this.context, this.lookup);
      this.variants.set(feature, variant);
    }
    return variant;
  }

  /** The flag's state and variant for the context, and why. */
  explain(feature: FeatureFlag): Explanation {
    const { enabled, reason } = this.evaluate(feature);
    return { enabled, variant: this.getVariant(feature), reason };
  }

  evaluate(feature: FeatureFlag): Evaluation {
    this.evaluations ??= new Map();
    let evaluation = this.evaluations.get(feature);
    if (!evaluation) {
      evaluation = evaluateFeature(feature, this.context, this.lookup, this);
      this.evaluations.set(feature, evaluation);
    }
    return evaluation;
  }

  segmentsMatch(ids: readonly SegmentId[]): boolean {
    for (const id of ids) if (!this.segmentMatches(id)) return false;
    return true;
  }

  private segmentMatches(id: SegmentId): boolean {
    const segment = this.lookup.segment(id);
    if (!segment) return false;
    this.segments ??= new Map();
    let matches = this.segments.get(segment);
    if (matches === undefined) {
      matches = checksPass(segmentChecks(segment), this.context);
      this.segments.set(segment, matches);
    }
    return matches;
  }

  parentsSatisfied(feature: FeatureFlag): boolean {
    for (const dependency of feature.dependencies ?? []) {
      const parent = this.lookup.feature(dependency.feature);
      if (!parent || (parent.dependencies?.length ?? 0) > 0) return false;
      let satisfied: boolean;
      if (dependency.enabled === false) satisfied = !this.evaluate(parent).enabled;
      else if (dependency.variants?.length) {
        const variant = this.getVariant(parent);
        satisfied = variant.featureEnabled && dependency.variants.includes(variant.name);
      } else satisfied = this.evaluate(parent).enabled;
      if (!satisfied) return false;
    }
    return true;
  }
}

/**
 * The flag's evaluation, not kept. `run` holds the memos for parents and segments; a flag that has
 * neither (most) is evaluated without making one.
 */
function evaluateFeature(
  feature: FeatureFlag,
  context: FlagContext,
  lookup: FlagLookup,
  run: Evaluator | undefined,
): Evaluation {
  if (!feature.enabled) return DISABLED;
  if (feature.dependencies?.length) {
    run ??= new Evaluator(context, lookup);
    if (!run.parentsSatisfied(feature)) return DEPENDENCY_NOT_MET;
  }
  const { strategies } = compiledFlag(feature);
  if (strategies.length === 0) return ENABLED_FOR_ALL;
  for (const strategy of strategies) {
    if (!strategy.rule(context, lookup) || !checksPass(strategy.checks, context)) continue;
    if (strategy.segments.length > 0) {
      run ??= new Evaluator(context, lookup);
      if (!run.segmentsMatch(strategy.segments)) continue;
    }
    if (!strategy.variants) return STRATEGY_MATCHED;
    const strategyVariant = selectVariant(strategy.variants, context, lookup);
    return { enabled: true, reason: "strategy_matched", strategyVariant };
  }
  return NO_STRATEGY_MATCHED;
}

function pickVariant(
  feature: FeatureFlag,
  evaluation: Evaluation,
  context: FlagContext,
  lookup: FlagLookup,
): VariantResult {
  if (!evaluation.enabled) return FEATURE_DISABLED;
  if (evaluation.strategyVariant) return evaluation.strategyVariant;
  const { variants } = compiledFlag(feature);
  return (variants && selectVariant(variants, context, lookup)) || NO_VARIANT;
}

export function evaluator(context: FlagContext, lookup: FlagLookup) {
  return new Evaluator(context, lookup);
}

export function isEnabled(feature: FeatureFlag, context: FlagContext, lookup: FlagLookup): boolean {
  return evaluateFeature(feature, context, lookup, undefined).enabled;
}

export function getVariant(feature: FeatureFlag, context: FlagContext, lookup: FlagLookup): VariantResult {
  return pickVariant(feature, evaluateFeature(feature, context, lookup, undefined), context, lookup);
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
