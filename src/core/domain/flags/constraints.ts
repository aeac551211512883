import { contextValue } from "./context-value";
import { ipValue, parseIpRanges } from "./ip-range";
import { memo } from "./memo";
import { patternFor } from "./regex-pattern";
import { compareSemver, parseSemver } from "./semver";
import type { FlagConstraint, FlagContext } from "./types";

export type Check = (context: FlagContext) => boolean;
type Operator = (constraint: FlagConstraint) => Check;

const semver = memo(parseSemver);
const address = memo(ipValue);
const NEVER: Check = () => false;

/** Unleash ignores empty values and trims the rest. */
function cleanValues(values: string[] | undefined): string[] {
  return (values ?? []).filter((value) => !!value).map((value) => value.trim());
}

const membership: Operator = ({ contextName, operator, values }) => {
  const set = new Set(cleanValues(values));
  const isIn = operator === "IN";
  return (context) => {
    const actual = contextValue(context, contextName);
    return actual !== undefined && set.has(actual) ? isIn : !isIn;
  };
};

function stringOperator(test: (actual: string, value: string) => boolean): Operator {
  return ({ contextName, values, caseInsensitive }) => {
    const expected = cleanValues(values).map((value) =>
      caseInsensitive ? value.toLocaleLowerCase() : value,
    );
    return (context) => {
      let actual = contextValue(context, contextName);
      if (actual === undefined) return false;
      if (caseInsensitive) actual = actual.toLocaleLowerCase();
      for (const value of expected) if (test(actual, value)) return true;
      return false;
    };
  };
}

function numberOperator(test: (actual: number, value: number) => boolean): Operator {
  return ({ contextName, value }) => {
    const expected = value === undefined || value === "" ? Number.NaN : Number(value);
    if (Number.isNaN(expected)) return NEVER;
    return (context) => {
      const actualText = contextValue(context, contextName);
      if (actualText === undefined) return false;
      const actual = Number(actualText);
      return !Number.isNaN(actual) && test(actual, expected);
    };
  };
}

function dateOperator(test: (now: number, value: number) => boolean): Operator {
  return ({ value }) => {
    const expected = new Date(value ?? "").getTime();
    if (Number.isNaN(expected)) return NEVER;
    return (context) => {
      const now = context.currentTime ? new Date(context.currentTime).getTime() : Date.now();
      return !Number.isNaN(now) && test(now, expected);
    };
  };
}

function semverOperator(test: (order: number) => boolean): Operator {
  return ({ contextName, value }) => {
    const expected = value === undefined ? undefined : parseSemver(value);
    if (!expected) return NEVER;
    return (context) => {
      const actualText = contextValue(context, contextName);
      const actual = actualText === undefined ? undefined : semver(actualText);
      return actual !== undefined && test(compareSemver(actual, expected));
    };
  };
}

const regex: Operator = ({ contextName, value, caseInsensitive }) => {
  if (value === undefined) return NEVER;
  // Compiled patterns are found through their bounded memo, not held here: a cached flag set lives
  // longer, and there may be many.
  return (context) => {
    const actual = contextValue(context, contextName);
    if (actual === undefined) return false;
    return patternFor(value, caseInsensitive === true)?.test(actual) === true;
  };
};

const inCidr: Operator = ({ contextName, values }) => {
  const ranges = parseIpRanges(cleanValues(values));
  return (context) => {
    const actual = contextValue(context, contextName);
    const value = actual === undefined ? undefined : address(actual);
    return value !== undefined && ranges.has(value);
  };
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

// Evaluation is hot and flags change rarely: what a constraint's constants give (value sets,
// parsed numbers, dates, versions and ranges) is derived once per constraint.
const checks = new WeakMap<FlagConstraint, Check>();

function checkOf(constraint: FlagConstraint): Check {
  let check = checks.get(constraint);
  if (!check) {
    const operator = Object.hasOwn(OPERATORS, constraint.operator)
      ? OPERATORS[constraint.operator]
      : undefined;
    // An unknown operator is false whether or not it is inverted.
    const positive = operator ? operator(constraint) : NEVER;
    check = constraint.inverted && operator ? (context) => !positive(context) : positive;
    checks.set(constraint, check);
  }
  return check;
}

/** Each constraint's check, in order: what a strategy keeps so evaluating it finds nothing. */
export function checksOf(constraints: readonly FlagConstraint[] | undefined): Check[] {
  return (constraints ?? []).map(checkOf);
}

export function constraintMatches(constraint: FlagConstraint, context: FlagContext): boolean {
  return checkOf(constraint)(context);
}
