import { Elysia } from "elysia";
import { actorOf, type Principal, type TenantRef } from "../../core/domain/acting";
import { ForbiddenError, RateLimitedError, TenantInactiveError } from "../../core/domain/errors";
import type { Logger } from "../../core/ports/logger";
import type { RecordDenial } from "../../core/usecases/audit/record-denial";
import type { RecordLockout } from "../../core/usecases/audit/record-lockout";
import { requestOrigin, requestState } from "../request-state";

/** The request and what the route's options resolved (by the auth macro) before it failed. */
type Resolved = { request: Request; route: string } & Partial<{
  principal: Principal;
  home: TenantRef;
  tenant: TenantRef;
}>;

/**
 * The one place where refusals of signed-in callers are audited: every 403 a route or use case
 * raises passes here before it becomes a response. It records `access.denied` in the tenant the
 * caller tried to act in, unless the use case recorded the refusal itself. An inactive tenant is not
 * a refusal of the caller, and a request nobody signed (no principal) has no actor to record.
 * A signed-in caller's change refused because their account is locked (429 LOGIN_LOCKED, from the
 * current-password check) is recorded here too, as `auth.login.locked`; a locked login has no
 * principal and is recorded by the login use case. Both are coalesced per caller and minute.
 * Registered before the errors plugin; it never answers, it only records.
 */
export function denialAuditPlugin({
  recordDenial,
  recordLockout,
  logger,
  describeError,
}: {
  recordDenial: RecordDenial;
  recordLockout: RecordLockout;
  logger: Logger;
  describeError: (error: unknown) => string;
}) {
  /** The recording `error` calls for, when it is a refusal of this signed-in caller to record. */
  function recordingOf(
    error: unknown,
    { request, route, principal, home, tenant }: Resolved,
  ): (() => Promise<void>) | null {
    // The tenant acted on once resolved, else the caller's own (a refused X-Tenant names no other).
    const tenantId = (tenant ?? home)?.id;
    if (!principal || !tenantId) return null;
    const origin = requestOrigin(request);
    if (error instanceof RateLimitedError && error.code === "LOGIN_LOCKED") {
      return () =>
        recordLockout({ tenantId, actor: actorOf(principal), endpoint: error.details.endpoint }, origin);
    }
    if (error instanceof ForbiddenError && !(error instanceof TenantInactiveError) && !error.audited) {
      return () =>
        recordDenial(
          {
            actor: principal,
            tenantId,
            code: error.code,
            reason: error.message,
            resource: { type: "endpoint", id: `${request.method} ${route}` },
          },
          origin,
        );
    }
    return null;
  }

  return new Elysia({ name: "denial-audit" }).onError({ as: "global" }, async (context) => {
    // Destructured (see the auth plugin): a context passed on whole makes every request parse all.
    const { error, request, route, principal, home, tenant } = context as unknown as Resolved & {
      error: unknown;
    };
    const record = recordingOf(error, { request, route, principal, home, tenant });
    if (!record) return;
    try {
      await record();
    } catch (failure) {
      logger.error("audit.denial_not_recorded", {
        requestId: requestState(request)?.requestId,
        error: describeError(failure),
      });
    }
  });
}
