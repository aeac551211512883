import type { FlagEvaluation } from "../../core/usecases/flags/flag-engine";

/**
 * Evaluations in the shape of Unleash's frontend API (`{toggles}`), which the browser and mobile
 * SDKs read: enabled flags only, each with its variant.
 */
export function presentFrontendToggles(evaluations: readonly FlagEvaluation[]) {
  return {
    toggles: evaluations
      .filter((evaluation) => evaluation.enabled)
      .map(({ key, variant }) => ({
        name: key,
        enabled: true,
        variant: {
          name: variant.name,
          enabled: variant.enabled,
          ...(variant.payload ? { payload: variant.payload } : {}),
        },
        impressionData: false,
      })),
  };
}
