import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { getVariant, isEnabled } from "../../../src/core/domain/flags/evaluate";
import type { FeatureFlag, FlagContext, FlagLookup, FlagSegment } from "../../../src/core/domain/flags/types";

interface SpecFeature extends Omit<FeatureFlag, "key"> {
  name: string;
}

interface SpecFile {
  name: string;
  state: { features: SpecFeature[]; segments?: FlagSegment[] };
  tests?: { description: string; context: FlagContext; toggleName: string; expectedResult: boolean }[];
  variantTests?: {
    description: string;
    context: FlagContext;
    toggleName: string;
    expectedResult: Record<string, unknown>;
  }[];
}

/** Cases we do not pass, by `<spec file> > <description>`, with the reason. */
const KNOWN_FAILURES: Record<string, string> = {};

/** Delta-API hydration and events concern SDK transport, not evaluation. */
const SKIPPED_FILES = new Set(["19-delta-api-hydration.json", "20-delta-api-events.json"]);

const specDir = join(
  dirname(require.resolve("@unleash/client-specification/package.json")),
  "specifications",
);
const specFiles = JSON.parse(readFileSync(join(specDir, "index.json"), "utf8")) as string[];

function toFeature({ name, ...rest }: SpecFeature): FeatureFlag {
  return { ...rest, key: name };
}

function lookupFor(spec: SpecFile): FlagLookup {
  const features = new Map(spec.state.features.map((feature) => [feature.name, toFeature(feature)]));
  const segments = new Map((spec.state.segments ?? []).map((segment) => [segment.id, segment]));
  return { feature: (key) => features.get(key), segment: (id) => segments.get(id) };
}

const MISSING: FeatureFlag = { key: "", enabled: false };

for (const file of specFiles) {
  if (SKIPPED_FILES.has(file)) continue;
  const spec = JSON.parse(readFileSync(join(specDir, file), "utf8")) as SpecFile;
  const lookup = lookupFor(spec);
  const flag = (key: string) => lookup.feature(key) ?? MISSING;

  describe(file, () => {
    for (const testCase of spec.tests ?? []) {
      const reason = KNOWN_FAILURES[`${file} > ${testCase.description}`];
      if (reason) {
        test.todo(`${testCase.description} (${reason})`);
        continue;
      }
      test(testCase.description, () => {
        expect(isEnabled(flag(testCase.toggleName), testCase.context, lookup)).toBe(testCase.expectedResult);
      });
    }
    for (const testCase of spec.variantTests ?? []) {
      const reason = KNOWN_FAILURES[`${file} > ${testCase.description}`];
      if (reason) {
        test.todo(`${testCase.description} (${reason})`);
        continue;
      }
      test(testCase.description, () => {
        const { featureEnabled, ...variant } = getVariant(
          flag(testCase.toggleName),
          testCase.context,
          lookup,
        );
        const actual: Record<string, unknown> = { ...variant, feature_enabled: featureEnabled };
        const expected = { ...testCase.expectedResult };
        if (!("feature_enabled" in expected)) delete actual.feature_enabled;
        expect(actual).toEqual(expected);
      });
    }
  });
}
