import { type Check, checksOf } from "./constraints";
import { compileRule, type Rule } from "./strategies";
import type { FeatureFlag, FlagSegment, FlagStrategy, SegmentId } from "./types";
import { compileVariants, type Variants } from "./variants";

export interface CompiledStrategy {
  rule: Rule;
  checks: Check[];
  segments: readonly SegmentId[];
  /** Undefined when the strategy has no variants to pick from: the flag's own then apply. */
  variants: Variants | undefined;
}

/** A flag with everything its definition alone decides derived once. */
export interface CompiledFlag {
  strategies: CompiledStrategy[];
  variants: Variants | undefined;
}

const NO_SEGMENTS: readonly SegmentId[] = [];

function compileStrategy(strategy: FlagStrategy, featureKey: string): CompiledStrategy {
  const parameters = strategy.parameters ?? {};
  const groupId = String(parameters.groupId || featureKey);
  const stickiness = parameters.stickiness === undefined ? undefined : String(parameters.stickiness);
  return {
    rule: compileRule(strategy.name, parameters, featureKey),
    checks: checksOf(strategy.constraints),
    segments: strategy.segments?.length ? strategy.segments : NO_SEGMENTS,
    variants: compileVariants(strategy.variants, groupId, stickiness),
  };
}

// Evaluation is hot and definitions change rarely (a changed flag or segment is a new object): what
// a definition alone decides is derived once per object, and goes with it.
const flags = new WeakMap<FeatureFlag, CompiledFlag>();
const segments = new WeakMap<FlagSegment, Check[]>();

export function compiledFlag(feature: FeatureFlag): CompiledFlag {
  let compiled = flags.get(feature);
  if (!compiled) {
    compiled = {
      strategies: (feature.strategies ?? []).map((strategy) => compileStrategy(strategy, feature.key)),
      variants: compileVariants(feature.variants, feature.key),
    };
    flags.set(feature, compiled);
  }
  return compiled;
}

export function segmentChecks(segment: FlagSegment): Check[] {
  let checks = segments.get(segment);
  if (!checks) {
    checks = checksOf(segment.constraints);
    segments.set(segment, checks);
  }
  return checks;
}
