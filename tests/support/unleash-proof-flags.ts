import { hostname } from "node:os";

/**
 * Flags covering every strategy, every constraint operator (inverted and case-insensitive too),
 * segments, flag and strategy variants with overrides and payloads, and dependencies: what the
 * Unleash SDK proofs evaluate. `seg:<name>` in a strategy's segments is replaced by the id of the
 * segment of that name. Randomness only at 0 or 100 %, where every evaluator must agree.
 */
export const PROOF_SEGMENTS = [
  { name: "nordics", constraints: [{ contextName: "country", operator: "IN", values: ["NO", "SE", "FI"] }] },
  { name: "adults", constraints: [{ contextName: "age", operator: "NUM_GTE", value: "18" }] },
];

const on = (constraints: unknown[]) => ({ enabled: true, strategies: [{ name: "default", constraints }] });
const c = (contextName: string, operator: string, more: Record<string, unknown>) => ({
  contextName,
  operator,
  ...more,
});

const hostNames = [...new Set([hostname(), process.env.HOSTNAME ?? hostname()])].join(",");

export const PROOF_FLAGS: Record<string, Record<string, unknown>> = {
  "s-default": { enabled: true, strategies: [{ name: "default" }] },
  "s-disabled": { enabled: false, strategies: [{ name: "default" }] },
  "s-user-ids": {
    enabled: true,
    strategies: [{ name: "userWithId", parameters: { userIds: "u1, u5,u17" } }],
  },
  "s-flex-user": {
    enabled: true,
    strategies: [
      { name: "flexibleRollout", parameters: { rollout: "40", stickiness: "userId", groupId: "g1" } },
    ],
  },
  "s-flex-default": {
    enabled: true,
    strategies: [
      { name: "flexibleRollout", parameters: { rollout: "55", stickiness: "default", groupId: "g2" } },
    ],
  },
  "s-flex-session": {
    enabled: true,
    strategies: [
      { name: "flexibleRollout", parameters: { rollout: "30", stickiness: "sessionId", groupId: "g3" } },
    ],
  },
  "s-flex-custom": {
    enabled: true,
    strategies: [
      { name: "flexibleRollout", parameters: { rollout: "50", stickiness: "country", groupId: "g4" } },
    ],
  },
  "s-flex-random-all": {
    enabled: true,
    strategies: [
      { name: "flexibleRollout", parameters: { rollout: "100", stickiness: "random", groupId: "g5" } },
    ],
  },
  "s-gradual-user": {
    enabled: true,
    strategies: [{ name: "gradualRolloutUserId", parameters: { percentage: "35", groupId: "g6" } }],
  },
  "s-gradual-session": {
    enabled: true,
    strategies: [{ name: "gradualRolloutSessionId", parameters: { percentage: "60", groupId: "g7" } }],
  },
  "s-gradual-random-none": {
    enabled: true,
    strategies: [{ name: "gradualRolloutRandom", parameters: { percentage: "0" } }],
  },
  "s-remote-address": {
    enabled: true,
    strategies: [{ name: "remoteAddress", parameters: { IPs: "10.1.0.0/16, 192.168.1.7" } }],
  },
  "s-hostname": { enabled: true, strategies: [{ name: "applicationHostname", parameters: { hostNames } }] },
  "s-two-strategies": {
    enabled: true,
    strategies: [
      { name: "userWithId", parameters: { userIds: "u2" } },
      { name: "flexibleRollout", parameters: { rollout: "20", stickiness: "default", groupId: "g8" } },
    ],
  },
  "o-in": on([c("country", "IN", { values: ["NO", "SE"] })]),
  "o-not-in": on([c("country", "NOT_IN", { values: ["DK"] })]),
  "o-starts-with": on([c("email", "STR_STARTS_WITH", { values: ["ADMIN"], caseInsensitive: true })]),
  "o-ends-with": on([c("email", "STR_ENDS_WITH", { values: ["@example.com"] })]),
  "o-contains-inverted": on([c("email", "STR_CONTAINS", { values: ["+"], inverted: true })]),
  "o-num-eq": on([c("age", "NUM_EQ", { value: "30" })]),
  "o-num-gt": on([c("age", "NUM_GT", { value: "40" })]),
  "o-num-gte": on([c("age", "NUM_GTE", { value: "50" })]),
  "o-num-lt": on([c("age", "NUM_LT", { value: "20" })]),
  "o-num-lte": on([c("age", "NUM_LTE", { value: "25" })]),
  "o-date-after": on([c("currentTime", "DATE_AFTER", { value: "2026-06-01T00:00:00.000Z" })]),
  "o-date-before": on([c("currentTime", "DATE_BEFORE", { value: "2026-03-01T00:00:00.000Z" })]),
  "o-semver-eq": on([c("version", "SEMVER_EQ", { value: "2.0.0" })]),
  "o-semver-gt": on([c("version", "SEMVER_GT", { value: "1.5.0" })]),
  "o-semver-gte": on([c("version", "SEMVER_GTE", { value: "2.0.0-beta.2" })]),
  "o-semver-lt": on([c("version", "SEMVER_LT", { value: "1.2.3" })]),
  "o-semver-lte": on([c("version", "SEMVER_LTE", { value: "2.0.0" })]),
  "o-regex": on([c("email", "REGEX", { value: "^[a-c].*@example\\.(com|org)$", caseInsensitive: true })]),
  "o-in-cidr": on([c("remoteAddress", "IN_CIDR", { values: ["10.1.0.0/16", "172.16.0.0/12"] })]),
  "o-two-constraints": on([
    c("country", "IN", { values: ["NO", "SE", "FI"] }),
    c("age", "NUM_LT", { value: "40", inverted: true }),
  ]),
  "seg-two": {
    enabled: true,
    strategies: [
      {
        name: "flexibleRollout",
        parameters: { rollout: "70", stickiness: "default", groupId: "seg" },
        segments: ["seg:nordics", "seg:adults"],
      },
    ],
  },
  "v-flag-variants": {
    enabled: true,
    strategies: [{ name: "default" }],
    variants: [
      { name: "blue", weight: 500, stickiness: "userId" },
      { name: "green", weight: 300, stickiness: "userId", payload: { type: "string", value: "g" } },
      {
        name: "red",
        weight: 200,
        stickiness: "userId",
        payload: { type: "json", value: '{"shade":"dark"}' },
        overrides: [{ contextName: "userId", values: ["u3", "u4"] }],
      },
    ],
  },
  "v-strategy-variants": {
    enabled: true,
    strategies: [
      {
        name: "flexibleRollout",
        parameters: { rollout: "80", stickiness: "default", groupId: "sv" },
        constraints: [c("country", "NOT_IN", { values: ["FI"] })],
        variants: [
          { name: "one", weight: 250, stickiness: "default", payload: { type: "number", value: "1" } },
          { name: "two", weight: 750, stickiness: "default" },
        ],
      },
    ],
  },
  "d-on-parent": {
    enabled: true,
    strategies: [{ name: "default" }],
    dependencies: [{ feature: "s-flex-user" }],
  },
  "d-parent-variant": {
    enabled: true,
    strategies: [{ name: "default" }],
    dependencies: [{ feature: "v-flag-variants", variants: ["blue", "red"] }],
  },
  "d-parent-off": {
    enabled: true,
    strategies: [{ name: "default" }],
    dependencies: [{ feature: "o-num-gt", enabled: false }],
  },
};

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;

/** `n` contexts, varied in every field the flags read; deterministic, so a failure can be replayed. */
export function proofContexts(n: number) {
  const countries = ["NO", "SE", "DK", "FI", "DE"];
  const emails = [
    "admin@example.com",
    "Admin.x@corp.io",
    "bob+tag@example.org",
    "carl@example.com",
    "dora@other.net",
  ];
  const versions = ["1.0.0", "1.2.3", "1.5.1", "2.0.0-beta.1", "2.0.0-beta.3", "2.0.0", "3.1.4"];
  const addresses = ["10.1.2.3", "10.2.0.1", "192.168.1.7", "172.20.1.1", "8.8.8.8"];
  return Array.from({ length: n }, (_, i) => ({
    userId: `u${(i * 7) % 60}`,
    sessionId: `s${i}`,
    remoteAddress: pick(addresses, i * 3 + 1),
    appName: "proof",
    environment: "default",
    currentTime: new Date(Date.UTC(2026, (i * 5) % 12, 1 + (i % 27), i % 24)).toISOString(),
    properties: {
      country: pick(countries, i),
      email: pick(emails, i * 11 + 2),
      age: String(10 + ((i * 13) % 60)),
      version: pick(versions, i * 3),
    },
  }));
}
