import type { FieldProblem } from "../errors";
import { ValidationError } from "../errors";
import { toJavaScriptPattern } from "./regex-pattern";
import { parseSemver } from "./semver";
import {
  CONSTRAINT_OPERATORS,
  type FeatureFlag,
  type FlagConstraint,
  type FlagStrategy,
  type FlagVariant,
} from "./types";

export const FLAG_KEY_PATTERN = /^[a-zA-Z0-9_.-]{1,100}$/;

/** Bounds on stored definitions: evaluation walks them on every request. */
export const FLAG_LIMITS = {
  strategies: 25,
  constraints: 25,
  values: 1_000,
  variants: 50,
  dependencies: 10,
  segments: 25,
} as const;

const OPERATORS: ReadonlySet<string> = new Set(CONSTRAINT_OPERATORS);
const PERCENTAGE_PARAMETERS = ["rollout", "percentage"] as const;

function isPercentage(value: unknown): boolean {
  const number =
    typeof value === "number"
      ? value
      : typeof value === "string" && value.trim() !== ""
        ? Number(value)
        : Number.NaN;
  return Number.isFinite(number) && number >= 0 && number <= 100;
}

function checkConstraint(constraint: FlagConstraint, at: string, problems: FieldProblem[]) {
  const { operator, values, value } = constraint;
  if (!OPERATORS.has(operator)) {
    problems.push({ field: `${at}.operator`, message: `Unknown operator "${operator}".` });
    return;
  }
  if ((values?.length ?? 0) > FLAG_LIMITS.values) {
    problems.push({ field: `${at}.values`, message: `At most ${FLAG_LIMITS.values} values.` });
  }
  if (operator.startsWith("SEMVER_") && (value === undefined || parseSemver(value) === undefined)) {
    problems.push({ field: `${at}.value`, message: "Not a semantic version (e.g. 1.2.3)." });
  }
  if (operator === "REGEX") {
    const pattern = value === undefined ? undefined : toJavaScriptPattern(value);
    let valid = pattern !== undefined;
    if (valid) {
      try {
        new RegExp(pattern!);
      } catch {
        valid = false;
      }
    }
    if (!valid) problems.push({ field: `${at}.value`, message: "Not a valid regular expression." });
  }
  if (
    operator.startsWith("NUM_") &&
    (value === undefined || !Number.isFinite(Number(value)) || value.trim() === "")
  ) {
    problems.push({ field: `${at}.value`, message: "Not a number." });
  }
  if (operator.startsWith("DATE_") && (value === undefined || Number.isNaN(Date.parse(value)))) {
    problems.push({ field: `${at}.value`, message: "Not an ISO-8601 date." });
  }
}

function checkConstraints(constraints: FlagConstraint[] | undefined, at: string, problems: FieldProblem[]) {
  if (!constraints) return;
  if (constraints.length > FLAG_LIMITS.constraints) {
    problems.push({ field: at, message: `At most ${FLAG_LIMITS.constraints} constraints.` });
  }
  for (const [i, constraint] of constraints.slice(0, FLAG_LIMITS.constraints).entries()) {
    checkConstraint(constraint, `${at}.${i}`, problems);
  }
}

function checkVariants(variants: FlagVariant[] | undefined, at: string, problems: FieldProblem[]) {
  if (!variants) return;
  if (variants.length > FLAG_LIMITS.variants)
    problems.push({ field: at, message: `At most ${FLAG_LIMITS.variants} variants.` });
  variants.slice(0, FLAG_LIMITS.variants).forEach((variant, i) => {
    if (!Number.isInteger(variant.weight) || variant.weight < 0 || variant.weight > 1000) {
      problems.push({ field: `${at}.${i}.weight`, message: "A whole number from 0 to 1000." });
    }
  });
}

function checkStrategy(strategy: FlagStrategy, at: string, problems: FieldProblem[]) {
  for (const parameter of PERCENTAGE_PARAMETERS) {
    const value = strategy.parameters?.[parameter];
    if (value !== undefined && !isPercentage(value)) {
      problems.push({ field: `${at}.parameters.${parameter}`, message: "A percentage from 0 to 100." });
    }
  }
  if ((strategy.segments?.length ?? 0) > FLAG_LIMITS.segments) {
    problems.push({ field: `${at}.segments`, message: `At most ${FLAG_LIMITS.segments} segments.` });
  }
  checkConstraints(strategy.constraints, `${at}.constraints`, problems);
  checkVariants(strategy.variants, `${at}.variants`, problems);
}

/**
 * The problems of a flag definition before it is stored: what evaluation would silently treat as
 * false (an unknown operator, a bad percentage, pattern or version) is refused here instead, and
 * lists are bounded. Unknown strategy names are allowed: Unleash evaluates them to false.
 */
export function flagProblems(flag: FeatureFlag): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!FLAG_KEY_PATTERN.test(flag.key)) {
    problems.push({ field: "key", message: "Letters, digits, _ . - only, 1 to 100 characters." });
  }
  const strategies = flag.strategies ?? [];
  if (strategies.length > FLAG_LIMITS.strategies) {
    problems.push({ field: "strategies", message: `At most ${FLAG_LIMITS.strategies} strategies.` });
  }
  for (const [i, strategy] of strategies.slice(0, FLAG_LIMITS.strategies).entries()) {
    checkStrategy(strategy, `strategies.${i}`, problems);
  }
  checkVariants(flag.variants, "variants", problems);
  if ((flag.dependencies?.length ?? 0) > FLAG_LIMITS.dependencies) {
    problems.push({ field: "dependencies", message: `At most ${FLAG_LIMITS.dependencies} dependencies.` });
  }
  if (flag.dependencies?.some((dependency) => dependency.feature === flag.key)) {
    problems.push({ field: "dependencies", message: "A flag cannot depend on itself." });
  }
  return problems;
}

/** Throws ValidationError INVALID_FLAG (422) listing every problem. */
export function assertValidFlag(flag: FeatureFlag): void {
  const problems = flagProblems(flag);
  if (problems.length > 0) {
    throw new ValidationError("INVALID_FLAG", "The flag definition is not valid.", problems);
  }
}

/** The problems of a segment's constraints, as a flag's would be reported. */
export function segmentProblems(segment: { name: string; constraints: FlagConstraint[] }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (segment.name.trim() === "" || segment.name.length > 100) {
    problems.push({ field: "name", message: "1 to 100 characters." });
  }
  checkConstraints(segment.constraints, "constraints", problems);
  return problems;
}
