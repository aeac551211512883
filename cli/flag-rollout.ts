import type { FlagStrategy } from "../src/core/domain/flags/types";

/** The gradual rollout strategy the CLI reads and sets: Unleash's flexibleRollout. */
const ROLLOUT = "flexibleRollout";

/** The strategy a new flag gets for `--rollout <percent>`: sticky per user, grouped by the flag key. */
export function rolloutStrategy(percent: number): FlagStrategy {
  return { name: ROLLOUT, parameters: { rollout: percent, stickiness: "default" } };
}

/**
 * The strategies with the rollout set to `percent`: every flexibleRollout strategy's rollout
 * changes (its constraints, stickiness and group stay); a flag without one gets one. The use case
 * validates the result like any other change.
 */
export function withRollout(strategies: FlagStrategy[], percent: number): FlagStrategy[] {
  if (!strategies.some((s) => s.name === ROLLOUT)) return [...strategies, rolloutStrategy(percent)];
  return strategies.map((s) =>
    s.name === ROLLOUT ? { ...s, parameters: { ...s.parameters, rollout: percent } } : s,
  );
}

/** The rollout percentages of the flag's flexibleRollout strategies, for display. */
export function rolloutOf(strategies: FlagStrategy[]): string {
  const values = strategies.filter((s) => s.name === ROLLOUT).map((s) => `${s.parameters?.rollout ?? 0}%`);
  return values.length > 0 ? values.join(",") : strategies.length === 0 ? "all" : "-";
}
