import type { FeatureFlag } from "../src/core/domain/flags/types";

/**
 * The flag the benchmarks evaluate: 3 strategies (flexibleRollout with 2 constraints, userWithId,
 * default with 3 constraints) and 2 variants, enabled for the given plans.
 */
export function sampleFlag(key: string, plans: string[]): FeatureFlag & { name: string } {
  return {
    key,
    name: key,
    enabled: true,
    strategies: [
      {
        name: "flexibleRollout",
        parameters: { rollout: "30", stickiness: "default", groupId: key },
        constraints: [
          { contextName: "plan", operator: "IN", values: plans },
          { contextName: "role", operator: "NOT_IN", values: ["guest"] },
        ],
      },
      { name: "userWithId", parameters: { userIds: "u-1,u-2,u-3,u-42" } },
      {
        name: "default",
        constraints: [
          { contextName: "appName", operator: "STR_STARTS_WITH", values: ["web"] },
          { contextName: "seats", operator: "NUM_GT", value: "10" },
          { contextName: "version", operator: "SEMVER_GTE", value: "2.3.0" },
        ],
      },
    ],
    variants: [
      { name: "blue", weight: 500, stickiness: "default" },
      { name: "green", weight: 500, stickiness: "default" },
    ],
  };
}
