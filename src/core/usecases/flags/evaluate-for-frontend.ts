import type { TenantRef } from "../../domain/acting";
import type { FlagContext } from "../../domain/flags/types";
import type { CallerContext } from "./evaluate-flags";
import type { FlagDefinitionsReader } from "./flag-definitions";
import type { FlagEngine, FlagEvaluation } from "./flag-engine";

/** Context names the server asserts: a browser naming them as properties must not stand in for them. */
const SERVER_ASSERTED = ["tenantId", "tenantSlug", "plan", "role"] as const;

function withoutAssertedProperties(context: CallerContext): CallerContext {
  if (!context.properties) return context;
  const properties = { ...context.properties };
  for (const name of SERVER_ASSERTED) delete properties[name];
  return { ...context, properties };
}

export interface EvaluateForFrontendDeps {
  definitions: Pick<FlagDefinitionsReader, "forTenant">;
  engine: FlagEngine;
}

/**
 * The flags a browser may see for its context, for a frontend key of `tenant`: evaluated here (a
 * browser never receives definitions), enabled ones only, as Unleash's frontend API answers. The
 * context is the one the browser sends, with the request's address when it names none (as Unleash
 * does); the tenant, its slug and plan are always the key's. No user or role is added (a frontend
 * key acts for no one), and a `role` property the browser sends is dropped, so it cannot pass
 * for one. Not counted in the flag metrics: the browser SDK posts what it used.
 */
export function makeEvaluateForFrontend({ definitions, engine }: EvaluateForFrontendDeps) {
  return async function evaluateForFrontend(
    tenant: TenantRef,
    callerContext: CallerContext,
    requestAddress: string | null,
  ): Promise<FlagEvaluation[]> {
    const set = await definitions.forTenant(tenant.id);
    const context: FlagContext = {
      ...(requestAddress ? { remoteAddress: requestAddress } : {}),
      ...withoutAssertedProperties(callerContext),
      tenantId: tenant.id,
      tenantSlug: tenant.slug,
      plan: tenant.plan,
    };
    const results = await engine(set, context);
    return results.filter((result) => result.enabled);
  };
}

export type EvaluateForFrontend = ReturnType<typeof makeEvaluateForFrontend>;
