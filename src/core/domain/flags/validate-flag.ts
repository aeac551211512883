import type { FieldProblem } from "../errors";
import { ValidationError } from "../errors";
import { ipRange } from "./ip-range";
import { FLAG_LIMITS } from "./limits";
import { patternProblem } from "./regex-pattern";
import { parseSemver } from "./semver";
import { splitList } from "./strategies";
import {
  CONSTRAINT_OPERATORS,
  type FeatureFlag,
  type FlagConstraint,
  type FlagStrategy,
  type FlagVariant,
  type SegmentId,
} from "./types";

export const FLAG_KEY_PATTERN = /^[a-zA-Z0-9_.-]{1,100}$/;

/** How many constraints a segment holds; undefined for one that does not exist (reported elsewhere). */
export type SegmentSize = (id: SegmentId) => number | undefined;

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

function checkValues(values: string[] | undefined, at: string, problems: FieldProblem[], cidr: boolean) {
  if (!values) return;
  const limit = cidr ? FLAG_LIMITS.cidrEntries : FLAG_LIMITS.valuesPerConstraint;
  if (values.length > limit) {
    problems.push({ field: `${at}.values`, message: `At most ${limit} values.` });
    return;
  }
  for (const [i, value] of values.entries()) {
    if (value.length > FLAG_LIMITS.valueLength) {
      problems.push({
        field: `${at}.values.${i}`,
        message: `At most ${FLAG_LIMITS.valueLength} characters.`,
      });
    } else if (cidr && value.trim() !== "" && !ipRange(value)) {
      problems.push({ field: `${at}.values.${i}`, message: "Not an IP address or CIDR range." });
    }
  }
}

function checkConstraint(constraint: FlagConstraint, at: string, problems: FieldProblem[]) {
  const { operator, values, value, caseInsensitive } = constraint;
  if (!OPERATORS.has(operator)) {
    problems.push({ field: `${at}.operator`, message: `Unknown operator "${operator}".` });
    return;
  }
  checkValues(values, at, problems, operator === "IN_CIDR");
  if (operator === "REGEX") {
    const problem = value === undefined ? "A pattern is required." : patternProblem(value, caseInsensitive);
    if (problem) problems.push({ field: `${at}.value`, message: problem });
    return;
  }
  if (value !== undefined && value.length > FLAG_LIMITS.valueLength) {
    problems.push({ field: `${at}.value`, message: `At most ${FLAG_LIMITS.valueLength} characters.` });
    return;
  }
  if (operator.startsWith("SEMVER_") && (value === undefined || parseSemver(value) === undefined)) {
    problems.push({ field: `${at}.value`, message: "Not a semantic version (e.g. 1.2.3)." });
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
  if (constraints.length > FLAG_LIMITS.constraintsPerStrategy) {
    problems.push({ field: at, message: `At most ${FLAG_LIMITS.constraintsPerStrategy} constraints.` });
    return;
  }
  for (const [i, constraint] of constraints.entries()) checkConstraint(constraint, `${at}.${i}`, problems);
}

function checkVariants(variants: FlagVariant[] | undefined, at: string, problems: FieldProblem[]) {
  if (!variants) return;
  if (variants.length > FLAG_LIMITS.variants) {
    problems.push({ field: at, message: `At most ${FLAG_LIMITS.variants} variants.` });
    return;
  }
  for (const [i, variant] of variants.entries()) {
    if (!Number.isInteger(variant.weight) || variant.weight < 0 || variant.weight > 1000) {
      problems.push({ field: `${at}.${i}.weight`, message: "A whole number from 0 to 1000." });
    }
    const overrides = variant.overrides ?? [];
    if (overrides.length > FLAG_LIMITS.overridesPerVariant) {
      problems.push({
        field: `${at}.${i}.overrides`,
        message: `At most ${FLAG_LIMITS.overridesPerVariant} overrides.`,
      });
      continue;
    }
    for (const [j, override] of overrides.entries()) {
      checkValues(override.values, `${at}.${i}.overrides.${j}`, problems, false);
    }
  }
}

function checkAddresses(strategy: FlagStrategy, at: string, problems: FieldProblem[]) {
  const ips = strategy.parameters?.IPs;
  if (strategy.name !== "remoteAddress" || ips === undefined) return;
  const entries = splitList(String(ips));
  if (entries.length > FLAG_LIMITS.cidrEntries) {
    problems.push({ field: `${at}.parameters.IPs`, message: `At most ${FLAG_LIMITS.cidrEntries} entries.` });
  } else if (entries.some((entry) => !ipRange(entry))) {
    problems.push({ field: `${at}.parameters.IPs`, message: "Not a list of IP addresses and CIDR ranges." });
  }
}

function checkStrategy(
  strategy: FlagStrategy,
  at: string,
  problems: FieldProblem[],
  segmentSize: SegmentSize,
) {
  for (const parameter of PERCENTAGE_PARAMETERS) {
    const value = strategy.parameters?.[parameter];
    if (value !== undefined && !isPercentage(value)) {
      problems.push({ field: `${at}.parameters.${parameter}`, message: "A percentage from 0 to 100." });
    }
  }
  checkAddresses(strategy, at, problems);
  checkConstraints(strategy.constraints, `${at}.constraints`, problems);
  checkVariants(strategy.variants, `${at}.variants`, problems);
  const segments = strategy.segments ?? [];
  if (segments.length > FLAG_LIMITS.segmentsPerStrategy) {
    problems.push({
      field: `${at}.segments`,
      message: `At most ${FLAG_LIMITS.segmentsPerStrategy} segments.`,
    });
    return;
  }
  const checked = strategyConstraintCount(strategy, segmentSize);
  if (
    (strategy.constraints?.length ?? 0) <= FLAG_LIMITS.constraintsPerStrategy &&
    checked > FLAG_LIMITS.constraintsPerStrategy
  ) {
    problems.push({
      field: `${at}.segments`,
      message: `With its segments the strategy checks ${checked} constraints; at most ${FLAG_LIMITS.constraintsPerStrategy}.`,
    });
  }
}

/** The constraints a strategy checks: its own and those of each segment it lists. */
export function strategyConstraintCount(strategy: FlagStrategy, segmentSize: SegmentSize): number {
  let count = strategy.constraints?.length ?? 0;
  for (const id of strategy.segments ?? []) count += segmentSize(id) ?? 0;
  return count;
}

/**
 * The problems of a flag definition before it is stored: what evaluation would silently treat as
 * false (an unknown operator, a bad percentage, pattern, range or version) is refused here instead,
 * and everything evaluation walks is bounded (FLAG_LIMITS). Unknown strategy names are allowed:
 * Unleash evaluates them to false.
 */
export function flagProblems(flag: FeatureFlag, segmentSize: SegmentSize = () => 0): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!FLAG_KEY_PATTERN.test(flag.key)) {
    problems.push({ field: "key", message: "Letters, digits, _ . - only, 1 to 100 characters." });
  }
  const strategies = flag.strategies ?? [];
  if (strategies.length > FLAG_LIMITS.strategiesPerFlag) {
    problems.push({ field: "strategies", message: `At most ${FLAG_LIMITS.strategiesPerFlag} strategies.` });
  } else {
    for (const [i, strategy] of strategies.entries()) {
      checkStrategy(strategy, `strategies.${i}`, problems, segmentSize);
    }
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
export function assertValidFlag(flag: FeatureFlag, segmentSize?: SegmentSize): void {
  const problems = flagProblems(flag, segmentSize);
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
