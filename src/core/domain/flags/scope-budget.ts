import type { FieldProblem } from "../errors";
import { FLAG_LIMITS } from "./limits";
import { patternFor } from "./regex-pattern";
import type { FeatureFlag, FlagConstraint } from "./types";

/** One scope's flags and segments, as far as their patterns go. */
export interface ScopeContents {
  flags: readonly Pick<FeatureFlag, "strategies">[];
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

/**
 * Any pattern of a scope may run on every evaluation of it, at a cost in proportion to its
 * instructions, so a scope's patterns share one budget. A change that adds to a load already past
 * it is refused, on the changed item's first pattern; a change that does not add to it is not.
 */
export function patternBudgetProblems(
  before: ScopeContents,
  after: ScopeContents,
  field: string | undefined,
): FieldProblem[] {
  if (field === undefined) return [];
  const was = patternLoad(before);
  const now = patternLoad(after);
  const problems: FieldProblem[] = [];
  if (now.patterns > FLAG_LIMITS.patternsPerScope && now.patterns > was.patterns) {
    problems.push({
      field,
      message: `The scope would hold ${now.patterns} REGEX constraints; at most ${FLAG_LIMITS.patternsPerScope}.`,
    });
  }
  if (now.instructions > FLAG_LIMITS.patternInstructionsPerScope && now.instructions > was.instructions) {
    problems.push({
      field,
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
