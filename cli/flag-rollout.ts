import { ROLLOUT_STRATEGY } from "../src/core/domain/flags/rollout";
import type { FlagStrategy } from "../src/core/domain/flags/types";

/** The rollout percentages of the flag's flexibleRollout strategies, for display. */
export function rolloutOf(strategies: FlagStrategy[]): string {
  const values = strategies
    .filter((s) => s.name === ROLLOUT_STRATEGY)
    .map((s) => `${s.parameters?.rollout ?? 0}%`);
  return values.length > 0 ? values.join(",") : strategies.length === 0 ? "all" : "-";
}
