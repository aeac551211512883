import { contextValue } from "./context-value";
import { ipInRange } from "./ip-range";
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

const splitList = memo((text: string) => text.split(/\s*,\s*/).filter((item) => item !== ""));

function list(value: string | number | undefined, lower = false): string[] {
  const text = value === undefined ? "" : String(value);
  return splitList(lower ? text.toLowerCase() : text);
}

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
    context.userId !== undefined && list(parameters.userIds).includes(context.userId),
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
    const address = context.remoteAddress;
    if (!address) return false;
    return list(parameters.IPs).some((range) => range === address || ipInRange(address, range));
  },
  applicationHostname: ({ parameters, lookup }) =>
    lookup.hostname !== undefined && list(parameters.hostNames, true).includes(lookup.hostname.toLowerCase()),
};

/** A strategy's own rule, before constraints; unknown strategy names are false. */
export function strategyApplies(name: string, input: StrategyInput): boolean {
  const strategy = Object.hasOwn(STRATEGIES, name) ? STRATEGIES[name] : undefined;
  return strategy ? strategy(input) : false;
}
