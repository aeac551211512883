import type { FlagContext } from "../src/core/domain/flags/types";
import type { FlagSet } from "../src/core/usecases/flags/flag-definitions";
import { makeFlagEngine } from "../src/core/usecases/flags/flag-engine";
import type { FlagCase } from "./flag-cases";
import type { Engine } from "./flag-sdk";

/**
 * What a request costs: the app's flag engine (the use case behind `POST /api/v1/features/evaluate`
 * and `GET /api/frontend`: one evaluator per request, evaluation turns, telemetry, the response
 * items) for every flag of a set, against the SDK's `getVariant` for each flag (which answers both
 * the state and the variant, as Unleash's proxy does for a frontend request).
 */
export function requestCase(flagCase: FlagCase, set: FlagSet, sdk: Engine) {
  const engine = makeFlagEngine({ hostname: "bench", telemetry: { flagsEvaluated() {} } });
  const keys = flagCase.keys;

  async function agree(contexts: FlagContext[]) {
    for (const context of contexts) {
      const ours = await engine(set, context, keys);
      for (const item of ours) {
        const theirs = sdk.getVariant(item.key, context);
        const same =
          item.enabled === theirs.featureEnabled &&
          item.variant.name === theirs.name &&
          item.variant.enabled === theirs.enabled &&
          JSON.stringify(item.variant.payload) === JSON.stringify(theirs.payload);
        if (!same) {
          throw new Error(
            `${flagCase.name}: ${item.key} differs for ${JSON.stringify(context)}\n  ours: ${JSON.stringify(item)}\n  sdk:  ${JSON.stringify(theirs)}`,
          );
        }
      }
    }
  }

  return {
    agree,
    ours: (context: FlagContext) => engine(set, context, keys),
    sdk: (context: FlagContext) => {
      let enabled = 0;
      for (const key of keys) if (sdk.getVariant(key, context).featureEnabled) enabled++;
      return enabled;
    },
  };
}
