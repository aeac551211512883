import type { Acting } from "../../domain/acting";
import { type EvaluationReason, evaluator } from "../../domain/flags/evaluate";
import type { FlagContext, FlagLookup, VariantPayload } from "../../domain/flags/types";
import type { Telemetry } from "../../ports/telemetry";
import type { Authorize } from "../auth/authorize";
import { makeEvaluationTurns } from "./evaluation-turns";
import { requireFlagAccess } from "./flag-access";
import type { FlagDefinitionsReader, FlagSet } from "./flag-definitions";

/** What a caller may add to or set in the context; the tenant, plan and role are always theirs. */
export type CallerContext = Pick<
  FlagContext,
  "userId" | "sessionId" | "remoteAddress" | "environment" | "appName" | "currentTime" | "properties"
>;

export interface EvaluationRequest {
  /** The flags to evaluate, `key` and `keys` together, each once; neither means every flag of the tenant. */
  key?: string;
  keys?: string[];
  context?: CallerContext;
}

export interface FlagEvaluation {
  key: string;
  enabled: boolean;
  variant: { name: string; enabled: boolean; payload?: VariantPayload };
  reason: EvaluationReason | "not_found";
}

export interface EvaluateFlagsDeps {
  definitions: Pick<FlagDefinitionsReader, "forTenant">;
  authorize: Authorize;
  /** This machine's name, for the applicationHostname strategy. */
  hostname: string;
  telemetry: Pick<Telemetry, "flagsEvaluated">;
}

const DISABLED_VARIANT = { name: "disabled", enabled: false } as const;

function requestedKeys({ key, keys }: EvaluationRequest): string[] | undefined {
  if (key === undefined && keys === undefined) return undefined;
  return [...new Set([...(key === undefined ? [] : [key]), ...(keys ?? [])])];
}

/**
 * Evaluates flags for the caller (flags:read) from the cached definitions: no database read once
 * the tenant's definitions are cached. The context starts from the caller (user, tenant, plan,
 * role, address); the caller's fields override the user, session and address but never the tenant.
 */
export function makeEvaluateFlags({ definitions, authorize, hostname, telemetry }: EvaluateFlagsDeps) {
  const turns = makeEvaluationTurns();
  // One lookup per set of definitions, not one per request.
  const lookups = new WeakMap<FlagSet, FlagLookup>();
  const lookupOf = (set: FlagSet) => {
    let lookup = lookups.get(set);
    if (!lookup) {
      lookup = { ...set.lookup, hostname };
      lookups.set(set, lookup);
    }
    return lookup;
  };

  return async function evaluateFlags(acting: Acting, request: EvaluationRequest): Promise<FlagEvaluation[]> {
    await requireFlagAccess(authorize, acting, "flags:read");
    const set = await definitions.forTenant(acting.tenant.id);
    const ip = set.usesRemoteAddress ? acting.origin.ip : null;
    const context: FlagContext = {
      userId: acting.principal.userId,
      ...(ip ? { remoteAddress: ip } : {}),
      ...request.context,
      tenantId: acting.tenant.id,
      tenantSlug: acting.tenant.slug,
      plan: acting.tenant.plan,
      role: acting.principal.role,
    };
    // One evaluator for the whole request: a parent or a segment many flags share is evaluated once.
    const run = evaluator(context, lookupOf(set));
    const keys = requestedKeys(request) ?? [...set.flags.keys()];
    const clock = turns.start();
    const results: FlagEvaluation[] = [];
    let enabledCount = 0;
    let disabledCount = 0;
    for (const key of keys) {
      await clock.pause();
      const flag = set.flags.get(key);
      if (!flag) {
        results.push({ key, enabled: false, variant: DISABLED_VARIANT, reason: "not_found" });
        continue;
      }
      const { enabled, variant, reason } = run.explain(flag);
      if (enabled) enabledCount++;
      else disabledCount++;
      if (!variant.enabled && variant.name === "disabled") {
        results.push({ key, enabled, variant: DISABLED_VARIANT, reason });
        continue;
      }
      const shown: FlagEvaluation["variant"] = { name: variant.name, enabled: variant.enabled };
      if (variant.payload) shown.payload = variant.payload;
      results.push({ key, enabled, variant: shown, reason });
    }
    telemetry.flagsEvaluated("enabled", enabledCount);
    telemetry.flagsEvaluated("disabled", disabledCount);
    telemetry.flagsEvaluated("not_found", keys.length - enabledCount - disabledCount);
    return results;
  };
}

export type EvaluateFlags = ReturnType<typeof makeEvaluateFlags>;
