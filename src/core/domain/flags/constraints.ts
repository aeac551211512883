import { contextValue } from "./context-value";
import { ipInRange } from "./ip-range";
import { toJavaScriptPattern } from "./regex-pattern";
import { compareSemver, parseSemver } from "./semver";
import type { FlagConstraint, FlagContext } from "./types";

type Operator = (constraint: FlagConstraint, context: FlagContext) => boolean;

function cleanValues(values: string[] | undefined): string[] {
  return (values ?? []).filter((value) => !!value).map((value) => value.trim());
}

const membership: Operator = ({ contextName, operator, values }, context) => {
  const actual = contextValue(context, contextName);
  const isIn = cleanValues(values).some((value) => value === actual);
  return operator === "IN" ? isIn : !isIn;
};

function stringOperator(test: (actual: string, value: string) => boolean): Operator {
  return ({ contextName, values, caseInsensitive }, context) => {
    let actual = contextValue(context, contextName);
    if (actual === undefined) return false;
    let expected = cleanValues(values);
    if (caseInsensitive) {
      actual = actual.toLocaleLowerCase();
      expected = expected.map((value) => value.toLocaleLowerCase());
    }
    return expected.some((value) => test(actual, value));
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
    const actual = parseSemver(actualText);
    const expected = parseSemver(value);
    if (!actual || !expected) return false;
    return test(compareSemver(actual, expected));
  };
}

const regex: Operator = ({ contextName, value, caseInsensitive }, context) => {
  const actual = contextValue(context, contextName);
  if (actual === undefined || value === undefined) return false;
  const pattern = toJavaScriptPattern(value);
  if (pattern === undefined) return false;
  try {
    return new RegExp(pattern, caseInsensitive ? "i" : "").test(actual);
  } catch {
    return false;
  }
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
