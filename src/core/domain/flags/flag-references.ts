import type { FieldProblem } from "../errors";
import type { FeatureFlag } from "./types";

/** What a flag may refer to: the keys of the flags and the ids of the segments in its scope. */
export interface ReferableDefinitions {
  flagKeys: ReadonlySet<string>;
  segmentIds: ReadonlySet<string>;
}

/**
 * Dependencies on flags and strategies' segments that do not exist in the flag's scope: evaluation
 * would treat them as false, so writing them is refused instead.
 */
export function referenceProblems(flag: FeatureFlag, scope: ReferableDefinitions): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [i, dependency] of (flag.dependencies ?? []).entries()) {
    if (dependency.feature !== flag.key && !scope.flagKeys.has(dependency.feature)) {
      problems.push({ field: `dependencies.${i}.feature`, message: `No flag "${dependency.feature}".` });
    }
  }
  for (const [i, strategy] of (flag.strategies ?? []).entries()) {
    for (const [j, segment] of (strategy.segments ?? []).entries()) {
      if (!scope.segmentIds.has(String(segment))) {
        problems.push({ field: `strategies.${i}.segments.${j}`, message: `No segment "${segment}".` });
      }
    }
  }
  return problems;
}
