import type { Acting } from "../../domain/acting";
import type { FlagContext } from "../../domain/flags/types";
import type { Authorize } from "../auth/authorize";
import { requireFlagAccess } from "./flag-access";
import type { FlagDefinitionsReader } from "./flag-definitions";
import type { FlagEngine, FlagEvaluation } from "./flag-engine";
import type { FlagMetrics } from "./flag-metrics";

export type { FlagEvaluation } from "./flag-engine";

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

export interface EvaluateFlagsDeps {
  definitions: Pick<FlagDefinitionsReader, "forTenant">;
  authorize: Authorize;
  engine: FlagEngine;
  metrics: Pick<FlagMetrics, "countAnswers">;
}

function requestedKeys({ key, keys }: EvaluationRequest): string[] | undefined {
  if (key === undefined && keys === undefined) return undefined;
  return [...new Set([...(key === undefined ? [] : [key]), ...(keys ?? [])])];
}

/**
 * Evaluates flags for the caller (flags:read) from the cached definitions: no database read once
 * the tenant's definitions are cached. The context starts from the caller (user, tenant, plan,
 * role, address); the caller's fields override the user, session and address but never the tenant.
 * An API key is no user: its creator's id and role are not the context's, only what it sends.
 * Each answer is counted in the flag's metrics (in memory, written by the flush job).
 */
export function makeEvaluateFlags({ definitions, authorize, engine, metrics }: EvaluateFlagsDeps) {
  return async function evaluateFlags(acting: Acting, request: EvaluationRequest): Promise<FlagEvaluation[]> {
    await requireFlagAccess(authorize, acting, "flags:read");
    const set = await definitions.forTenant(acting.tenant.id);
    const ip = set.usesRemoteAddress ? acting.origin.ip : null;
    const person = acting.principal.apiKey ? null : acting.principal;
    const context: FlagContext = {
      ...(person ? { userId: person.userId } : {}),
      ...(ip ? { remoteAddress: ip } : {}),
      ...request.context,
      tenantId: acting.tenant.id,
      tenantSlug: acting.tenant.slug,
      plan: acting.tenant.plan,
      ...(person ? { role: person.role } : {}),
    };
    const results = await engine(set, context, requestedKeys(request));
    metrics.countAnswers(acting.tenant.id, results);
    return results;
  };
}

export type EvaluateFlags = ReturnType<typeof makeEvaluateFlags>;
