import { describe, expect, test } from "bun:test";
import { FLAG_LIMITS } from "../../../src/core/domain/flags/limits";
import type { FeatureFlag, FlagConstraint } from "../../../src/core/domain/flags/types";
import { assertValidFlag, flagProblems, segmentProblems } from "../../../src/core/domain/flags/validate-flag";

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
        strategies: many(FLAG_LIMITS.strategiesPerFlag + 1, () => ({ name: "default" })),
      }),
    ).toEqual(["strategies"]);
    expect(
      fields(
        withConstraint({
          contextName: "a",
          operator: "IN",
          values: many(FLAG_LIMITS.valuesPerConstraint + 1, String),
        }),
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

describe("bounds on what evaluation walks", () => {
  const many = <T>(n: number, make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));
  const flagWith = (strategy: FeatureFlag["strategies"] extends (infer S)[] | undefined ? S : never) =>
    ({ key: "k", enabled: true, strategies: [strategy] }) as FeatureFlag;

  test.each([
    ["a backreference", "^(a)\\1$"],
    ["a lookahead", "^(?=a)a$"],
    ["a lookbehind", "(?<=a)b"],
    ["an unclosed group", "(unclosed"],
    ["a repeat RE2 refuses", "a{1001}"],
  ])("a pattern with %s is refused on its field", (_name, value) => {
    const problems = flagProblems(withConstraint({ contextName: "userId", operator: "REGEX", value }));
    expect(problems).toEqual([
      { field: "strategies.0.constraints.0.value", message: expect.stringContaining("RE2") },
    ]);
  });

  test("a pattern longer than its bound, or compiling to too many instructions, is refused", () => {
    const long = "a".repeat(FLAG_LIMITS.patternLength + 1);
    expect(fields(withConstraint({ contextName: "u", operator: "REGEX", value: long }))).toEqual([
      "strategies.0.constraints.0.value",
    ]);
    const big = "(?:[a-z]{1,50}\\.){1,10}";
    expect(flagProblems(withConstraint({ contextName: "u", operator: "REGEX", value: big }))).toEqual([
      { field: "strategies.0.constraints.0.value", message: expect.stringMatching(/RE2 instructions/) },
    ]);
  });

  test("invalid CIDR entries and remoteAddress IPs are refused on their field", () => {
    expect(
      fields(
        withConstraint({
          contextName: "remoteAddress",
          operator: "IN_CIDR",
          values: ["10.0.0.0/8", "10.0.0.0/33", "x"],
        }),
      ),
    ).toEqual(["strategies.0.constraints.0.values.1", "strategies.0.constraints.0.values.2"]);
    expect(
      fields(flagWith({ name: "remoteAddress", parameters: { IPs: "10.0.0.1, 192.168.0.0/16, nope" } })),
    ).toEqual(["strategies.0.parameters.IPs"]);
    expect(
      fields(
        flagWith({
          name: "remoteAddress",
          parameters: {
            IPs: many(FLAG_LIMITS.cidrEntries + 1, (i) => `10.0.${i >> 8}.${i & 255}`).join(","),
          },
        }),
      ),
    ).toEqual(["strategies.0.parameters.IPs"]);
  });

  test("values and single values longer than their bound are refused", () => {
    const long = "v".repeat(FLAG_LIMITS.valueLength + 1);
    expect(fields(withConstraint({ contextName: "a", operator: "IN", values: ["ok", long] }))).toEqual([
      "strategies.0.constraints.0.values.1",
    ]);
    expect(
      fields(withConstraint({ contextName: "a", operator: "NUM_EQ", value: `1${"0".repeat(300)}` })),
    ).toEqual(["strategies.0.constraints.0.value"]);
  });

  test("a strategy's constraints are counted with those of the segments it lists", () => {
    const constraint = { contextName: "plan", operator: "IN", values: ["pro"] };
    const own = many(FLAG_LIMITS.constraintsPerStrategy - 4, () => constraint);
    const sizes = new Map([
      ["s1", 2],
      ["s2", 3],
    ]);
    const size = (id: string | number) => sizes.get(String(id));
    expect(flagProblems(flagWith({ name: "default", constraints: own, segments: ["s1"] }), size)).toEqual([]);
    expect(
      flagProblems(flagWith({ name: "default", constraints: own, segments: ["s1", "s2"] }), size),
    ).toEqual([
      {
        field: "strategies.0.segments",
        message: expect.stringContaining(`checks ${FLAG_LIMITS.constraintsPerStrategy + 1} constraints`),
      },
    ]);
    expect(
      fields(
        flagWith({ name: "default", segments: many(FLAG_LIMITS.segmentsPerStrategy + 1, (i) => `s${i}`) }),
      ),
    ).toEqual(["strategies.0.segments"]);
  });

  test("variants' overrides are bounded", () => {
    const override = { contextName: "userId", values: ["u"] };
    expect(
      fields({
        key: "k",
        enabled: true,
        variants: [
          { name: "a", weight: 1, overrides: many(FLAG_LIMITS.overridesPerVariant + 1, () => override) },
        ],
      }),
    ).toEqual(["variants.0.overrides"]);
  });

  test("a segment is held to a strategy's bounds", () => {
    const constraint = { contextName: "plan", operator: "IN", values: ["pro"] };
    expect(
      segmentProblems({
        name: "s",
        constraints: many(FLAG_LIMITS.constraintsPerStrategy + 1, () => constraint),
      }),
    ).toEqual([{ field: "constraints", message: expect.any(String) }]);
    expect(
      segmentProblems({ name: "s", constraints: [{ contextName: "u", operator: "REGEX", value: "(a)\\1" }] }),
    ).toEqual([{ field: "constraints.0.value", message: expect.stringContaining("RE2") }]);
  });
});
