import { contextValue } from "./context-value";
import { ipValue, parseIpRanges } from "./ip-range";
import { memo } from "./memo";
import { normalizedValue } from "./normalized-value";
import type { FlagContext, FlagLookup } from "./types";

export interface StrategyInput {
  parameters: Record<string, string | number>;
  context: FlagContext;
  featureKey: string;
  lookup: FlagLookup;
}

type Strategy = (input: StrategyInput) => boolean;

function randomNumber(lookup: FlagLookup): number {
  return Math.floor((lookup.random ?? Math.random)() * 100) + 1;
}

function randomStickiness(lookup: FlagLookup): string {
  return String(Math.round((lookup.random ?? Math.random)() * 10000) + 1);
}

/** A comma-separated parameter as a set, split once per distinct text. */
export function splitList(text: string): string[] {
  return text.split(/\s*,\s*/).filter((item) => item !== "");
}

const listSet = memo((text: string) => new Set(splitList(text)));

function list(value: string | number | undefined, lower = false): Set<string> {
  const text = value === undefined ? "" : String(value);
  return listSet(lower ? text.toLowerCase() : text);
}

/** The remoteAddress strategy's `IPs`: exact entries (any text) and the ranges of those that parse. */
const addressList = memo((text: string) => {
  const entries = splitList(text);
  return { exact: new Set(entries), ranges: parseIpRanges(entries) };
});
const address = memo(ipValue);

function percentageRollout(id: string | undefined, percentage: unknown, groupId: string): boolean {
  if (!id) return false;
  const threshold = Number(percentage);
  return threshold > 0 && normalizedValue(id, groupId) <= threshold;
}

function stickinessValue(stickiness: string, context: FlagContext, lookup: FlagLookup): string | undefined {
  switch (stickiness) {
    case "default":
      return context.userId || context.sessionId || randomStickiness(lookup);
    case "random":
      return randomStickiness(lookup);
    default:
      return contextValue(context, stickiness);
  }
}

const STRATEGIES: Record<string, Strategy> = {
  default: () => true,
  userWithId: ({ parameters, context }) =>
    context.userId !== undefined && list(parameters.userIds).has(context.userId),
  flexibleRollout: ({ parameters, context, featureKey, lookup }) => {
    const groupId = String(parameters.groupId || featureKey);
    const stickiness = String(parameters.stickiness || "default");
    return percentageRollout(stickinessValue(stickiness, context, lookup), parameters.rollout, groupId);
  },
  gradualRolloutUserId: ({ parameters, context }) =>
    percentageRollout(context.userId, parameters.percentage, String(parameters.groupId ?? "")),
  gradualRolloutSessionId: ({ parameters, context }) =>
    percentageRollout(context.sessionId, parameters.percentage, String(parameters.groupId ?? "")),
  gradualRolloutRandom: ({ parameters, lookup }) => Number(parameters.percentage) >= randomNumber(lookup),
  remoteAddress: ({ parameters, context }) => {
    const remote = context.remoteAddress;
    if (!remote) return false;
    const { exact, ranges } = addressList(String(parameters.IPs ?? ""));
    if (exact.has(remote)) return true;
    const value = address(remote);
    return value !== undefined && ranges.has(value);
  },
  applicationHostname: ({ parameters, lookup }) =>
    lookup.hostname !== undefined && list(parameters.hostNames, true).has(lookup.hostname.toLowerCase()),
};

/** A strategy's own rule, before constraints; unknown strategy names are false. */
export function strategyApplies(name: string, input: StrategyInput): boolean {
  const strategy = Object.hasOwn(STRATEGIES, name) ? STRATEGIES[name] : undefined;
  return strategy ? strategy(input) : false;
}
