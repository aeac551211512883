import { once } from "node:events";
import { InMemStorageProvider, Unleash } from "unleash-client";
import { getVariant, isEnabled } from "../src/core/domain/flags/evaluate";
import type { FeatureFlag, FlagContext, FlagLookup, FlagSegment } from "../src/core/domain/flags/types";
import type { FlagSet } from "../src/core/usecases/flags/flag-definitions";
import { presentClientFeatures } from "../src/http/unleash/client-features";
import type { FlagCase } from "./flag-cases";

/** What both engines answer for one flag and context, in the same shape. */
export interface Answer {
  enabled: boolean;
  variant: { name: string; enabled: boolean; featureEnabled: boolean; payload?: unknown };
}

export interface Engine {
  isEnabled(key: string, context: FlagContext): boolean;
  getVariant(key: string, context: FlagContext): Answer["variant"];
}

/** The case as the app holds a tenant's flags: a map by key and a lookup over it. */
export function flagSetOf(flagCase: FlagCase): FlagSet {
  const flags = new Map<string, FeatureFlag>(flagCase.flags.map((flag) => [flag.key, flag]));
  const segments = new Map<string, FlagSegment>(
    flagCase.segments.map((segment) => [String(segment.id), segment]),
  );
  return {
    revision: flagCase.name,
    flags,
    segments,
    lookup: { feature: (key) => flags.get(key), segment: (id) => segments.get(String(id)) },
    usesRemoteAddress: true,
  };
}

/** Our engine through its public functions, one call per flag as an SDK user would make. */
export function ourEngine(set: FlagSet): Engine {
  const lookup: FlagLookup = set.lookup;
  return {
    isEnabled: (key, context) => {
      const flag = set.flags.get(key);
      return flag !== undefined && isEnabled(flag, context, lookup);
    },
    getVariant: (key, context) => {
      const flag = set.flags.get(key);
      if (!flag) return { name: "disabled", enabled: false, featureEnabled: false };
      return getVariant(flag, context, lookup);
    },
  };
}

/**
 * The official Node SDK on the same flags: the app's `GET /api/client/features` body given as its
 * bootstrap, with polling off (`refreshInterval: 0`), so `isEnabled`/`getVariant` run the SDK's own
 * code path (repository lookup, strategies, constraints, segments, variants, metrics counting) with
 * no network.
 */
export async function sdkEngine(set: FlagSet): Promise<Engine & { sdk: Unleash }> {
  const { features, segments } = presentClientFeatures(set);
  // `new Unleash`, not `startUnleash`: that keeps one instance per process, and every case needs its own.
  const sdk = new Unleash({
    appName: "bench",
    url: "http://127.0.0.1:9/api/",
    refreshInterval: 0,
    disableMetrics: true,
    skipInstanceCountWarning: true,
    storageProvider: new InMemStorageProvider(),
    // The SDK's types describe Unleash's own JSON; ours is that JSON with our id types.
    bootstrap: { data: features as never, segments: segments as never },
  });
  if (!sdk.isSynchronized()) await once(sdk, "synchronized");
  return {
    sdk,
    isEnabled: (key, context) => sdk.isEnabled(key, context as never),
    getVariant: (key, context) => sdk.getVariant(key, context as never),
  };
}

/** The fields both engines promise, so extra fields of either (feature_enabled) do not count. */
export function answerOf(engine: Engine, key: string, context: FlagContext): Answer {
  const { name, enabled, featureEnabled, payload } = engine.getVariant(key, context);
  const variant: Answer["variant"] = { name, enabled, featureEnabled };
  if (payload !== undefined) variant.payload = payload;
  return { enabled: engine.isEnabled(key, context), variant };
}
