import type { FeatureFlag, FlagConstraint, FlagContext, FlagSegment } from "../src/core/domain/flags/types";
import { sampleFlag } from "./sample-flag";

/**
 * The cases `bun run bench:flags` times, each a few flags in our model (the SDK gets them through the
 * app's own Unleash converter) and the keys evaluated per context. No randomness (no `random`
 * stickiness, no gradualRolloutRandom, no variant without a sticky value): both engines must give
 * the same answer for every context, so the comparison can be checked before it is timed.
 */
export interface FlagCase {
  name: string;
  flags: FeatureFlag[];
  segments: FlagSegment[];
  /** Evaluated, in this order, for every context; the other flags are only there to be depended on. */
  keys: string[];
}

const on = (key: string, constraints: FlagConstraint[]): FeatureFlag => ({
  key,
  enabled: true,
  strategies: [{ name: "default", constraints }],
});

const OPERATOR_FLAGS: FeatureFlag[] = [
  on("op-in", [{ contextName: "country", operator: "IN", values: ["NO", "SE", "FI"] }]),
  on("op-not-in", [{ contextName: "country", operator: "NOT_IN", values: ["DK"] }]),
  on("op-starts-with", [
    { contextName: "email", operator: "STR_STARTS_WITH", values: ["ADMIN"], caseInsensitive: true },
  ]),
  on("op-ends-with", [{ contextName: "email", operator: "STR_ENDS_WITH", values: ["@example.com"] }]),
  on("op-contains", [{ contextName: "email", operator: "STR_CONTAINS", values: ["+"], inverted: true }]),
  on("op-num-eq", [{ contextName: "age", operator: "NUM_EQ", value: "30" }]),
  on("op-num-gt", [{ contextName: "age", operator: "NUM_GT", value: "40" }]),
  on("op-num-gte", [{ contextName: "age", operator: "NUM_GTE", value: "50" }]),
  on("op-num-lt", [{ contextName: "age", operator: "NUM_LT", value: "20" }]),
  on("op-num-lte", [{ contextName: "age", operator: "NUM_LTE", value: "25" }]),
  on("op-date-after", [
    { contextName: "currentTime", operator: "DATE_AFTER", value: "2026-06-01T00:00:00.000Z" },
  ]),
  on("op-date-before", [
    { contextName: "currentTime", operator: "DATE_BEFORE", value: "2026-03-01T00:00:00.000Z" },
  ]),
  on("op-semver-eq", [{ contextName: "version", operator: "SEMVER_EQ", value: "2.0.0" }]),
  on("op-semver-gt", [{ contextName: "version", operator: "SEMVER_GT", value: "1.5.0" }]),
  on("op-semver-gte", [{ contextName: "version", operator: "SEMVER_GTE", value: "2.0.0-beta.2" }]),
  on("op-semver-lt", [{ contextName: "version", operator: "SEMVER_LT", value: "1.2.3" }]),
  on("op-semver-lte", [{ contextName: "version", operator: "SEMVER_LTE", value: "2.0.0" }]),
  on("op-regex", [
    {
      contextName: "email",
      operator: "REGEX",
      value: "^[a-c].*@example\\.(com|org)$",
      caseInsensitive: true,
    },
  ]),
  on("op-in-cidr", [
    { contextName: "remoteAddress", operator: "IN_CIDR", values: ["10.1.0.0/16", "172.16.0.0/12"] },
  ]),
];

const keysOf = (flags: FeatureFlag[]) => flags.map((flag) => flag.key);

function single(name: string, flag: FeatureFlag, segments: FlagSegment[] = []): FlagCase {
  return { name, flags: [flag], segments, keys: [flag.key] };
}

const PARENT: FeatureFlag = {
  key: "parent",
  enabled: true,
  strategies: [
    { name: "flexibleRollout", parameters: { rollout: "60", stickiness: "default", groupId: "parent" } },
  ],
  variants: [
    { name: "a", weight: 500, stickiness: "default" },
    { name: "b", weight: 500, stickiness: "default" },
  ],
};

export const FLAG_CASES: FlagCase[] = [
  single("on/off", { key: "simple", enabled: true, strategies: [{ name: "default" }] }),
  single("gradual rollout 50%", {
    key: "rollout",
    enabled: true,
    strategies: [
      { name: "flexibleRollout", parameters: { rollout: "50", stickiness: "default", groupId: "rollout" } },
    ],
  }),
  single("userIds (20)", {
    key: "user-ids",
    enabled: true,
    strategies: [
      {
        name: "userWithId",
        parameters: { userIds: Array.from({ length: 20 }, (_, i) => `user-${i * 37}`).join(", ") },
      },
    ],
  }),
  single("3 strategies, 5 constraints, variants", sampleFlag("complex", ["pro", "enterprise"])),
  single(
    "segments (2, 3 constraints)",
    {
      key: "segmented",
      enabled: true,
      strategies: [
        {
          name: "flexibleRollout",
          parameters: { rollout: "70", stickiness: "default", groupId: "segmented" },
          segments: [1, 2],
        },
      ],
    },
    [
      {
        id: 1,
        name: "nordics",
        constraints: [{ contextName: "country", operator: "IN", values: ["NO", "SE", "FI"] }],
      },
      {
        id: 2,
        name: "adult pros",
        constraints: [
          { contextName: "age", operator: "NUM_GTE", value: "18" },
          { contextName: "plan", operator: "IN", values: ["pro", "enterprise"] },
        ],
      },
    ],
  ),
  single("strategy variants with payloads", {
    key: "strategy-variants",
    enabled: true,
    strategies: [
      {
        name: "flexibleRollout",
        parameters: { rollout: "80", stickiness: "default", groupId: "sv" },
        constraints: [{ contextName: "country", operator: "NOT_IN", values: ["FI"] }],
        variants: [
          { name: "one", weight: 250, stickiness: "default", payload: { type: "number", value: "1" } },
          { name: "two", weight: 750, stickiness: "default", payload: { type: "string", value: "2" } },
        ],
      },
    ],
  }),
  { name: "19 operators (19 flags)", flags: OPERATOR_FLAGS, segments: [], keys: keysOf(OPERATOR_FLAGS) },
  {
    name: "dependencies (enabled, variant)",
    flags: [
      PARENT,
      {
        key: "on-parent",
        enabled: true,
        strategies: [{ name: "default" }],
        dependencies: [{ feature: "parent" }],
      },
      {
        key: "parent-variant",
        enabled: true,
        strategies: [{ name: "default" }],
        dependencies: [{ feature: "parent", variants: ["b"] }],
      },
    ],
    segments: [],
    keys: ["on-parent", "parent-variant"],
  },
];

const everyCaseFlag = [
  ...new Map(FLAG_CASES.flatMap((c) => c.flags).map((flag) => [flag.key, flag])).values(),
];
const requestFlags = [
  ...everyCaseFlag,
  ...Array.from({ length: 50 - everyCaseFlag.length }, (_, i) => sampleFlag(`sample-${i}`, ["pro"])),
];

/** A tenant's set of 50 flags (every flag above, then copies of the sample flag), all evaluated per request. */
export const requestFlagCase: FlagCase = {
  name: "request: 50 flags, app engine use case",
  flags: requestFlags,
  segments: FLAG_CASES.flatMap((c) => c.segments),
  keys: requestFlags.map((flag) => flag.key),
};

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;

/** `n` contexts varied in every field the cases read; deterministic, so a disagreement can be replayed. */
export function flagContexts(n: number): FlagContext[] {
  const countries = ["NO", "SE", "DK", "FI", "DE"];
  const emails = [
    "admin@example.com",
    "Admin.x@corp.io",
    "bob+tag@example.org",
    "carl@example.com",
    "dora@other.net",
  ];
  const versions = ["1.0.0", "1.2.3", "1.5.1", "2.0.0-beta.1", "2.0.0-beta.3", "2.0.0", "2.4.1", "3.1.4"];
  const addresses = ["10.1.2.3", "10.2.0.1", "192.168.1.7", "172.20.1.1", "8.8.8.8"];
  return Array.from({ length: n }, (_, i) => ({
    userId: `user-${i}`,
    sessionId: `session-${i}`,
    remoteAddress: pick(addresses, i * 3 + 1),
    appName: i % 4 === 0 ? "mobile-app" : "web-app",
    environment: "production",
    currentTime: new Date(Date.UTC(2026, (i * 5) % 12, 1 + (i % 27), i % 24)),
    properties: {
      plan: pick(["free", "pro", "enterprise"], i),
      role: i % 5 === 0 ? "guest" : "member",
      country: pick(countries, i),
      email: pick(emails, i * 11 + 2),
      age: String(10 + ((i * 13) % 60)),
      seats: String(i % 20),
      version: pick(versions, i * 3),
    },
  }));
}
