import { describe, expect, test } from "bun:test";
import type { FeatureFlag, FlagSegment } from "../../../src/core/domain/flags/types";
import type { FlagSet } from "../../../src/core/usecases/flags/flag-definitions";
import { presentClientFeatures } from "../../../src/http/unleash/client-features";
import { presentFrontendToggles } from "../../../src/http/unleash/frontend-toggles";

function setOf(flags: FeatureFlag[], segments: FlagSegment[] = []): FlagSet {
  const byKey = new Map(flags.map((flag) => [flag.key, flag]));
  const bySegment = new Map(segments.map((segment) => [String(segment.id), segment]));
  return {
    revision: "r1/r2",
    flags: byKey,
    segments: bySegment,
    lookup: { feature: (key) => byKey.get(key), segment: (id) => bySegment.get(String(id)) },
    usesRemoteAddress: false,
  };
}

describe("the client API's features (Unleash format version 2)", () => {
  test("a flag becomes an Unleash feature: key as name, string parameters, segments by id, variants", () => {
    const segment = {
      id: "seg-1",
      name: "beta",
      constraints: [{ contextName: "plan", operator: "IN", values: ["pro"] }],
    };
    const flag: FeatureFlag = {
      key: "checkout",
      name: "Checkout",
      type: "string",
      enabled: true,
      strategies: [
        {
          name: "flexibleRollout",
          parameters: { rollout: 25, stickiness: "userId", groupId: "checkout" },
          constraints: [{ contextName: "country", operator: "IN", values: ["NO"], caseInsensitive: true }],
          segments: ["seg-1"],
          variants: [{ name: "blue", weight: 1000, payload: { type: "string", value: "b" } }],
        },
      ],
      variants: [{ name: "red", weight: 500, overrides: [{ contextName: "userId", values: ["u1"] }] }],
      dependencies: [{ feature: "parent", enabled: true, variants: ["x"] }],
    };
    expect(presentClientFeatures(setOf([flag], [segment]))).toEqual({
      version: 2,
      features: [
        {
          name: "checkout",
          type: "release",
          description: null,
          enabled: true,
          stale: false,
          impressionData: false,
          project: "default",
          strategies: [
            {
              name: "flexibleRollout",
              parameters: { rollout: "25", stickiness: "userId", groupId: "checkout" },
              constraints: [
                { contextName: "country", operator: "IN", values: ["NO"], caseInsensitive: true },
              ],
              segments: ["seg-1"],
              variants: [
                {
                  name: "blue",
                  weight: 1000,
                  weightType: "variable",
                  stickiness: "default",
                  payload: { type: "string", value: "b" },
                },
              ],
            },
          ],
          variants: [
            {
              name: "red",
              weight: 500,
              weightType: "variable",
              stickiness: "default",
              overrides: [{ contextName: "userId", values: ["u1"] }],
            },
          ],
          dependencies: [{ feature: "parent", enabled: true, variants: ["x"] }],
        },
      ],
      segments: [segment],
    });
  });

  test("a bare flag gets empty lists, never missing fields an SDK would trip on", () => {
    const [feature] = presentClientFeatures(setOf([{ key: "plain", enabled: false }])).features;
    expect(feature).toMatchObject({
      name: "plain",
      enabled: false,
      strategies: [],
      variants: [],
      dependencies: [],
    });
  });
});

describe("the frontend API's toggles", () => {
  test("only enabled flags are listed, each with its variant and payload", () => {
    const toggles = presentFrontendToggles([
      {
        key: "on",
        enabled: true,
        variant: { name: "disabled", enabled: false },
        reason: "strategy" as never,
      },
      {
        key: "v",
        enabled: true,
        variant: { name: "blue", enabled: true, payload: { type: "json", value: "{}" } },
        reason: "strategy" as never,
      },
      {
        key: "off",
        enabled: false,
        variant: { name: "disabled", enabled: false },
        reason: "disabled" as never,
      },
    ]);
    expect(toggles).toEqual({
      toggles: [
        { name: "on", enabled: true, variant: { name: "disabled", enabled: false }, impressionData: false },
        {
          name: "v",
          enabled: true,
          variant: { name: "blue", enabled: true, payload: { type: "json", value: "{}" } },
          impressionData: false,
        },
      ],
    });
  });
});
