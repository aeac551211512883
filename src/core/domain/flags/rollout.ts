import type { FlagStrategy } from "./types";

/** The gradual rollout strategy: Unleash's flexibleRollout. */
export const ROLLOUT_STRATEGY = "flexibleRollout";

/** A rollout to `percent` of users: sticky per user, grouped by the flag key. */
export function rolloutStrategy(percent: number): FlagStrategy {
  return { name: ROLLOUT_STRATEGY, parameters: { rollout: percent, stickiness: "default" } };
}

/**
 * The strategies with the rollout set to `percent`: every flexibleRollout strategy's rollout
 * changes (its constraints, stickiness and group stay); a flag without one gets one. The result is
 * validated like any other change.
 */
export function withRollout(strategies: FlagStrategy[], percent: number): FlagStrategy[] {
  if (!strategies.some((s) => s.name === ROLLOUT_STRATEGY)) return [...strategies, rolloutStrategy(percent)];
  return strategies.map((s) =>
    s.name === ROLLOUT_STRATEGY ? { ...s, parameters: { ...s.parameters, rollout: percent } } : s,
  );
}
