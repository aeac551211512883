import { contextValue } from "./context-value";
import { ipValue, parseIpRanges } from "./ip-range";
import { memo } from "./memo";
import { bucketsOf } from "./normalized-value";
import type { FlagContext, FlagLookup } from "./types";

/** A strategy's own rule, before constraints, with its parameters already read. */
export type Rule = (context: FlagContext, lookup: FlagLookup) => boolean;

type Parameters = Record<string, string | number>;
type Stickiness = (context: FlagContext, lookup: FlagLookup) => string | undefined;

const ALWAYS: Rule = () => true;
const NEVER: Rule = () => false;

function randomNumber(lookup: FlagLookup): number {
  return Math.floor((lookup.random ?? Math.random)() * 100) + 1;
}

function randomStickiness(lookup: FlagLookup): string {
  return String(Math.round((lookup.random ?? Math.random)() * 10000) + 1);
}

/** A comma-separated parameter as a list of its non-empty entries. */
export function splitList(text: string): string[] {
  return text.split(/\s*,\s*/).filter((item) => item !== "");
}

function list(value: string | number | undefined, lower = false): Set<string> {
  const text = value === undefined ? "" : String(value);
  return new Set(splitList(lower ? text.toLowerCase() : text));
}

const address = memo(ipValue);

function stickinessOf(stickiness: string): Stickiness {
  switch (stickiness) {
    case "default":
      return (context, lookup) => context.userId || context.sessionId || randomStickiness(lookup);
    case "random":
      return (_context, lookup) => randomStickiness(lookup);
    default:
      return (context) => contextValue(context, stickiness);
  }
}

/** In the rollout when the sticky value's bucket in the group is within the percentage. */
function rollout(percentage: unknown, groupId: string, stickiness: Stickiness): Rule {
  const threshold = Number(percentage);
  const bucket = bucketsOf(groupId);
  return (context, lookup) => {
    const id = stickiness(context, lookup);
    return !!id && threshold > 0 && bucket(id) <= threshold;
  };
}

const RULES: Record<string, (parameters: Parameters, featureKey: string) => Rule> = {
  default: () => ALWAYS,
  userWithId: (parameters) => {
    const ids = list(parameters.userIds);
    return (context) => context.userId !== undefined && ids.has(context.userId);
  },
  flexibleRollout: (parameters, featureKey) =>
    rollout(
      parameters.rollout,
      String(parameters.groupId || featureKey),
      stickinessOf(String(parameters.stickiness || "default")),
    ),
  gradualRolloutUserId: (parameters) =>
    rollout(parameters.percentage, String(parameters.groupId ?? ""), (context) => context.userId),
  gradualRolloutSessionId: (parameters) =>
    rollout(parameters.percentage, String(parameters.groupId ?? ""), (context) => context.sessionId),
  gradualRolloutRandom: (parameters) => {
    const percentage = Number(parameters.percentage);
    return (_context, lookup) => percentage >= randomNumber(lookup);
  },
  remoteAddress: (parameters) => {
    const entries = splitList(String(parameters.IPs ?? ""));
    const exact = new Set(entries);
    const ranges = parseIpRanges(entries);
    return (context) => {
      const remote = context.remoteAddress;
      if (!remote) return false;
      if (exact.has(remote)) return true;
      const value = address(remote);
      return value !== undefined && ranges.has(value);
    };
  },
  applicationHostname: (parameters) => {
    const names = list(parameters.hostNames, true);
    return (_context, lookup) => lookup.hostname !== undefined && names.has(lookup.hostname.toLowerCase());
  },
};

/** The rule of the strategy `name` with these parameters; unknown strategy names are false. */
export function compileRule(name: string, parameters: Parameters, featureKey: string): Rule {
  const rule = Object.hasOwn(RULES, name) ? RULES[name] : undefined;
  return rule ? rule(parameters, featureKey) : NEVER;
}
