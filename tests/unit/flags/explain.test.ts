import { describe, expect, test } from "bun:test";
import { explain } from "../../../src/core/domain/flags/evaluate";
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
