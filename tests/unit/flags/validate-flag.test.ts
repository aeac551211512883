import { describe, expect, test } from "bun:test";
import type { FeatureFlag, FlagConstraint } from "../../../src/core/domain/flags/types";
import { assertValidFlag, FLAG_LIMITS, flagProblems } from "../../../src/core/domain/flags/validate-flag";

const withConstraint = (constraint: FlagConstraint): FeatureFlag => ({
  key: "checkout",
  enabled: true,
  strategies: [{ name: "default", constraints: [constraint] }],
});
const fields = (flag: FeatureFlag) => flagProblems(flag).map((p) => p.field);

describe("flagProblems", () => {
  test("a well-formed flag has none", () => {
    expect(
      flagProblems({
        key: "new.checkout_v2",
        enabled: true,
        strategies: [
          {
            name: "flexibleRollout",
            parameters: { rollout: "50", stickiness: "default" },
            constraints: [
              { contextName: "plan", operator: "IN", values: ["pro"] },
              { contextName: "version", operator: "SEMVER_GTE", value: "2.0.0" },
              { contextName: "email", operator: "REGEX", value: "^[a-z]+@example\\\\.com$" },
            ],
          },
          { name: "someCustomStrategy" },
        ],
        variants: [
          { name: "a", weight: 500 },
          { name: "b", weight: 500 },
        ],
      }),
    ).toEqual([]);
  });

  test("refuses a bad key", () => {
    expect(fields({ key: "has space", enabled: true })).toEqual(["key"]);
    expect(fields({ key: "x".repeat(101), enabled: true })).toEqual(["key"]);
  });

  test.each([
    [{ contextName: "a", operator: "LIKE", values: ["x"] }, "strategies.0.constraints.0.operator"],
    [{ contextName: "a", operator: "SEMVER_GT", value: "v1" }, "strategies.0.constraints.0.value"],
    [{ contextName: "a", operator: "REGEX", value: "(unclosed" }, "strategies.0.constraints.0.value"],
    [{ contextName: "a", operator: "NUM_GT", value: "ten" }, "strategies.0.constraints.0.value"],
    [{ contextName: "a", operator: "DATE_AFTER", value: "yesterday" }, "strategies.0.constraints.0.value"],
  ])("refuses %o naming the field", (constraint, field) => {
    expect(fields(withConstraint(constraint as FlagConstraint))).toEqual([field]);
  });

  test("refuses percentages outside 0 to 100", () => {
    for (const rollout of ["101", "-1", "abc", ""]) {
      expect(
        fields({
          key: "k",
          enabled: true,
          strategies: [{ name: "flexibleRollout", parameters: { rollout } }],
        }),
      ).toEqual(["strategies.0.parameters.rollout"]);
    }
  });

  test("bounds every list", () => {
    const many = <T>(n: number, make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));
    expect(
      fields({
        key: "k",
        enabled: true,
        strategies: many(FLAG_LIMITS.strategies + 1, () => ({ name: "default" })),
      }),
    ).toEqual(["strategies"]);
    expect(
      fields(
        withConstraint({ contextName: "a", operator: "IN", values: many(FLAG_LIMITS.values + 1, String) }),
      ),
    ).toEqual(["strategies.0.constraints.0.values"]);
    expect(
      fields({
        key: "k",
        enabled: true,
        variants: many(FLAG_LIMITS.variants + 1, (i) => ({ name: `v${i}`, weight: 1 })),
      }),
    ).toEqual(["variants"]);
  });

  test("refuses bad variant weights and self-dependency", () => {
    expect(fields({ key: "k", enabled: true, variants: [{ name: "a", weight: 1.5 }] })).toEqual([
      "variants.0.weight",
    ]);
    expect(fields({ key: "k", enabled: true, dependencies: [{ feature: "k" }] })).toEqual(["dependencies"]);
  });

  test("assertValidFlag throws INVALID_FLAG with every problem", () => {
    expect(() =>
      assertValidFlag({ key: "bad key", enabled: true, variants: [{ name: "a", weight: -1 }] }),
    ).toThrow(
      expect.objectContaining({
        code: "INVALID_FLAG",
        errors: expect.arrayContaining([expect.objectContaining({ field: "key" })]),
      }),
    );
  });
});
