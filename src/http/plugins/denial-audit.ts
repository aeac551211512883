import { Elysia } from "elysia";
import { ForbiddenError, TenantInactiveError } from "../../core/domain/errors";
import type { Logger } from "../../core/ports/logger";
import type { RecordDenial } from "../../core/usecases/audit/record-denial";
import { requestOrigin, requestState } from "../request-state";

/**
 * The one place where refusals of signed-in callers are audited: every 403 a route or use case
 * raises passes here before it becomes a response. It records `access.denied` in the tenant the
 * caller tried to act in, unless the use case recorded the refusal itself. An inactive tenant is not
 * a refusal of the caller, and a request nobody signed (no principal) has no actor to record.
 * Registered before the errors plugin; it never answers, it only records.
 */
export function denialAuditPlugin({
  recordDenial,
  logger,
  describeError,
}: {
  recordDenial: RecordDenial;
  logger: Logger;
  describeError: (error: unknown) => string;
}) {
  return new Elysia({ name: "denial-audit" }).onError({ as: "global" }, async ({ error, request, route }) => {
    if (!(error instanceof ForbiddenError) || error instanceof TenantInactiveError || error.audited) return;
    const state = requestState(request);
    if (!state?.principal || !state.tenantId) return;
    try {
      await recordDenial(
        {
          actor: state.principal,
          tenantId: state.tenantId,
          code: error.code,
          reason: error.message,
          resource: { type: "endpoint", id: `${request.method} ${route}` },
        },
        requestOrigin(request),
      );
    } catch (failure) {
      logger.error("audit.denial_not_recorded", {
        requestId: state.requestId,
        error: describeError(failure),
      });
    }
  });
}
