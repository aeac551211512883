import { describe, expect, test } from "bun:test";
import { evaluator, explain } from "../../../src/core/domain/flags/evaluate";
import type { FeatureFlag, FlagLookup } from "../../../src/core/domain/flags/types";

const flags = new Map<string, FeatureFlag>();
const lookup: FlagLookup = { feature: (key) => flags.get(key), segment: () => undefined };
flags.set("parent-off", { key: "parent-off", enabled: false });

describe("explain", () => {
  test.each<[string, FeatureFlag, string, boolean]>([
    ["a disabled flag", { key: "f", enabled: false }, "disabled", false],
    ["an enabled flag without strategies", { key: "f", enabled: true }, "enabled_for_all", true],
    [
      "a flag whose parent is off",
      { key: "f", enabled: true, dependencies: [{ feature: "parent-off" }] },
      "dependency_not_met",
      false,
    ],
    [
      "a flag whose strategy matches",
      { key: "f", enabled: true, strategies: [{ name: "userWithId", parameters: { userIds: "u1" } }] },
      "strategy_matched",
      true,
    ],
    [
      "a flag whose strategies all miss",
      { key: "f", enabled: true, strategies: [{ name: "userWithId", parameters: { userIds: "u2" } }] },
      "no_strategy_matched",
      false,
    ],
  ])("%s: reason %s", (_name, flag, reason, enabled) => {
    const result = explain(flag, { userId: "u1" }, lookup);
    expect(result.reason).toBe(reason as never);
    expect(result.enabled).toBe(enabled);
    expect(result.variant.featureEnabled).toBe(enabled);
  });

  test("a strategy's variant is returned with its payload", () => {
    const flag: FeatureFlag = {
      key: "f",
      enabled: true,
      strategies: [
        {
          name: "default",
          variants: [{ name: "blue", weight: 1000, payload: { type: "string", value: "b" } }],
        },
      ],
    };
    expect(explain(flag, { userId: "u1" }, lookup).variant).toEqual({
      name: "blue",
      enabled: true,
      featureEnabled: true,
      payload: { type: "string", value: "b" },
    });
  });
});

describe("one evaluator per context", () => {
  /** A context whose `properties` count how often each field is read. */
  function countingContext(properties: Record<string, string>) {
    const reads = new Map<string, number>();
    const counted = new Proxy(properties, {
      get(target, field: string) {
        reads.set(field, (reads.get(field) ?? 0) + 1);
        return target[field];
      },
    });
    return { context: { properties: counted }, reads };
  }

  test("checks a segment once however many strategies of however many flags list it", () => {
    const segment = { id: "s", constraints: [{ contextName: "tier", operator: "IN", values: ["gold"] }] };
    const shared: FlagLookup = {
      feature: () => undefined,
      segment: (id) => (id === "s" ? segment : undefined),
    };
    const flag = (key: string): FeatureFlag => ({
      key,
      enabled: true,
      strategies: Array.from({ length: 5 }, () => ({ name: "default", segments: ["s"], constraints: [] })),
    });
    const { context, reads } = countingContext({ tier: "silver" });
    const run = evaluator(context, shared);
    expect(["a", "b", "c"].map((key) => run.explain(flag(key)).reason)).toEqual([
      "no_strategy_matched",
      "no_strategy_matched",
      "no_strategy_matched",
    ]);
    expect(reads.get("tier")).toBe(1);
  });

  test("evaluates a parent once however many flags depend on it", () => {
    const parent: FeatureFlag = {
      key: "parent",
      enabled: true,
      strategies: [
        { name: "default", constraints: [{ contextName: "tier", operator: "IN", values: ["gold"] }] },
      ],
    };
    const family: FlagLookup = {
      feature: (key) => (key === "parent" ? parent : undefined),
      segment: () => undefined,
    };
    const { context, reads } = countingContext({ tier: "gold" });
    const run = evaluator(context, family);
    const children = Array.from({ length: 10 }, (_, i) => ({
      key: `child-${i}`,
      enabled: true,
      dependencies: [{ feature: "parent" }, { feature: "parent", variants: ["disabled"] }],
    }));
    expect(children.map((child) => run.isEnabled(child))).toEqual(Array(10).fill(true));
    expect(run.explain(parent).enabled).toBe(true);
    expect(reads.get("tier")).toBe(1);
  });
});
