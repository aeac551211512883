import type { FieldProblem } from "../errors";
import { FLAG_LIMITS } from "./limits";
import { patternFor } from "./regex-pattern";
import type { FeatureFlag, FlagConstraint } from "./types";

/** One scope's flags and segments, as far as evaluation walks them. */
export interface ScopeContents {
  flags: readonly Pick<FeatureFlag, "key" | "strategies" | "variants" | "dependencies">[];
  segments: readonly { constraints: readonly FlagConstraint[] }[];
}

interface PatternLoad {
  patterns: number;
  instructions: number;
}

function* constraintsOf(scope: ScopeContents): Generator<FlagConstraint> {
  for (const flag of scope.flags)
    for (const strategy of flag.strategies ?? []) yield* strategy.constraints ?? [];
  for (const segment of scope.segments) yield* segment.constraints;
}

/** The REGEX constraints of a scope and the RE2 instructions they compile to together. */
export function patternLoad(scope: ScopeContents): PatternLoad {
  const load = { patterns: 0, instructions: 0 };
  for (const constraint of constraintsOf(scope)) {
    if (constraint.operator !== "REGEX" || constraint.value === undefined) continue;
    load.patterns++;
    load.instructions += patternFor(constraint.value, constraint.caseInsensitive === true)?.instructions ?? 0;
  }
  return load;
}

/** The size of what evaluation holds of a scope, in characters of JSON. */
export function scopeSize(scope: ScopeContents): number {
  let size = 0;
  for (const { key, strategies, variants, dependencies } of scope.flags) {
    size += JSON.stringify([key, strategies ?? [], variants ?? [], dependencies ?? []]).length;
  }
  for (const segment of scope.segments) size += JSON.stringify(segment.constraints).length;
  return size;
}

/** Where a change's scope-wide problems are reported: its first pattern, and its bulk. */
export interface BudgetFields {
  pattern: string | undefined;
  size: string;
}

/**
 * A scope's bounds taken together. Any pattern of a scope may run on every evaluation of it, at a
 * cost in proportion to its instructions, so its patterns share one budget; and every value and
 * parameter of a scope is held in memory and may be walked on every evaluation, so its size is
 * bounded. A change that adds to a load already past a bound is refused; one that does not add to
 * it is not (so a scope stored before a bound was lowered can still shrink).
 */
export function scopeBudgetProblems(
  before: ScopeContents,
  after: ScopeContents,
  fields: BudgetFields,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const size = scopeSize(after);
  if (size > FLAG_LIMITS.scopeSize && size > scopeSize(before)) {
    problems.push({
      field: fields.size,
      message: `The scope's definitions would take ${size} characters of JSON; at most ${FLAG_LIMITS.scopeSize} in all.`,
    });
  }
  if (fields.pattern === undefined) return problems;
  const was = patternLoad(before);
  const now = patternLoad(after);
  if (now.patterns > FLAG_LIMITS.patternsPerScope && now.patterns > was.patterns) {
    problems.push({
      field: fields.pattern,
      message: `The scope would hold ${now.patterns} REGEX constraints; at most ${FLAG_LIMITS.patternsPerScope}.`,
    });
  }
  if (now.instructions > FLAG_LIMITS.patternInstructionsPerScope && now.instructions > was.instructions) {
    problems.push({
      field: fields.pattern,
      message: `The scope's patterns would compile to ${now.instructions} RE2 instructions; at most ${FLAG_LIMITS.patternInstructionsPerScope} in all.`,
    });
  }
  return problems;
}

/** The field of a constraint list's first REGEX constraint, under `at`. */
export function firstPatternField(
  constraints: readonly FlagConstraint[] | undefined,
  at: string,
): string | undefined {
  const index = constraints?.findIndex((constraint) => constraint.operator === "REGEX") ?? -1;
  return index < 0 ? undefined : `${at}.${index}.value`;
}

/** The field of a flag's first REGEX constraint. */
export function firstFlagPatternField(flag: Pick<FeatureFlag, "strategies">): string | undefined {
  for (const [i, strategy] of (flag.strategies ?? []).entries()) {
    const field = firstPatternField(strategy.constraints, `strategies.${i}.constraints`);
    if (field) return field;
  }
  return undefined;
}
