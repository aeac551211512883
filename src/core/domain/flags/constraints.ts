import { contextValue } from "./context-value";
import { ipInRange } from "./ip-range";
import { memo } from "./memo";
import { toJavaScriptPattern } from "./regex-pattern";
import { compareSemver, parseSemver } from "./semver";
import type { FlagConstraint, FlagContext } from "./types";

type Operator = (constraint: FlagConstraint, context: FlagContext) => boolean;

// Evaluation is hot and flags change rarely: what is derived from a flag's own constants (cleaned
// value lists, parsed versions, compiled patterns) is computed once per constant.
const cleaned = new WeakMap<string[], { exact: string[]; lower: string[] }>();
const NO_VALUES = { exact: [] as string[], lower: [] as string[] };

function cleanValues(values: string[] | undefined, lowerCase = false): string[] {
  if (!values) return NO_VALUES.exact;
  let entry = cleaned.get(values);
  if (!entry) {
    const exact = values.filter((value) => !!value).map((value) => value.trim());
    entry = { exact, lower: exact.map((value) => value.toLocaleLowerCase()) };
    cleaned.set(values, entry);
  }
  return lowerCase ? entry.lower : entry.exact;
}

const semver = memo(parseSemver);
const compiledPattern = memo((flagsAndPattern: string): RegExp | null => {
  const [flags, pattern] = [flagsAndPattern.slice(0, 1) === "i" ? "i" : "", flagsAndPattern.slice(1)];
  const translated = toJavaScriptPattern(pattern);
  if (translated === undefined) return null;
  try {
    return new RegExp(translated, flags);
  } catch {
    return null;
  }
});

const membership: Operator = ({ contextName, operator, values }, context) => {
  const actual = contextValue(context, contextName);
  const isIn = cleanValues(values).some((value) => value === actual);
  return operator === "IN" ? isIn : !isIn;
};

function stringOperator(test: (actual: string, value: string) => boolean): Operator {
  return ({ contextName, values, caseInsensitive }, context) => {
    let actual = contextValue(context, contextName);
    if (actual === undefined) return false;
    if (caseInsensitive) actual = actual.toLocaleLowerCase();
    const expected = cleanValues(values, caseInsensitive === true);
    for (const value of expected) if (test(actual, value)) return true;
    return false;
  };
}

function numberOperator(test: (actual: number, value: number) => boolean): Operator {
  return ({ contextName, value }, context) => {
    const actualText = contextValue(context, contextName);
    if (actualText === undefined || value === undefined || value === "") return false;
    const expected = Number(value);
    const actual = Number(actualText);
    if (Number.isNaN(expected) || Number.isNaN(actual)) return false;
    return test(actual, expected);
  };
}

function dateOperator(test: (now: number, value: number) => boolean): Operator {
  return ({ value }, context) => {
    const expected = new Date(value ?? "").getTime();
    const now = context.currentTime ? new Date(context.currentTime).getTime() : Date.now();
    if (Number.isNaN(expected) || Number.isNaN(now)) return false;
    return test(now, expected);
  };
}

function semverOperator(test: (order: number) => boolean): Operator {
  return ({ contextName, value }, context) => {
    const actualText = contextValue(context, contextName);
    if (actualText === undefined || value === undefined) return false;
    const actual = semver(actualText);
    const expected = semver(value);
    if (!actual || !expected) return false;
    return test(compareSemver(actual, expected));
  };
}

const regex: Operator = ({ contextName, value, caseInsensitive }, context) => {
  const actual = contextValue(context, contextName);
  if (actual === undefined || value === undefined) return false;
  const pattern = compiledPattern(`${caseInsensitive ? "i" : "-"}${value}`);
  return pattern?.test(actual) === true;
};

const inCidr: Operator = ({ contextName, values }, context) => {
  const actual = contextValue(context, contextName);
  if (actual === undefined) return false;
  return cleanValues(values).some((range) => ipInRange(actual, range));
};

const OPERATORS: Record<string, Operator> = {
  IN: membership,
  NOT_IN: membership,
  STR_STARTS_WITH: stringOperator((actual, value) => actual.startsWith(value)),
  STR_ENDS_WITH: stringOperator((actual, value) => actual.endsWith(value)),
  STR_CONTAINS: stringOperator((actual, value) => actual.includes(value)),
  NUM_EQ: numberOperator((actual, value) => actual === value),
  NUM_GT: numberOperator((actual, value) => actual > value),
  NUM_GTE: numberOperator((actual, value) => actual >= value),
  NUM_LT: numberOperator((actual, value) => actual < value),
  NUM_LTE: numberOperator((actual, value) => actual <= value),
  DATE_AFTER: dateOperator((now, value) => now > value),
  DATE_BEFORE: dateOperator((now, value) => now < value),
  SEMVER_EQ: semverOperator((order) => order === 0),
  SEMVER_GT: semverOperator((order) => order > 0),
  SEMVER_GTE: semverOperator((order) => order >= 0),
  SEMVER_LT: semverOperator((order) => order < 0),
  SEMVER_LTE: semverOperator((order) => order <= 0),
  REGEX: regex,
  IN_CIDR: inCidr,
};

/** One constraint; an unknown operator is false whether or not it is inverted. */
export function constraintMatches(constraint: FlagConstraint, context: FlagContext): boolean {
  const operator = Object.hasOwn(OPERATORS, constraint.operator) ? OPERATORS[constraint.operator] : undefined;
  if (!operator) return false;
  const result = operator(constraint, context);
  return constraint.inverted ? !result : result;
}

export function constraintsMatch(
  constraints: Iterable<FlagConstraint | undefined>,
  context: FlagContext,
): boolean {
  for (const constraint of constraints) {
    if (!constraint || !constraintMatches(constraint, context)) return false;
  }
  return true;
}
