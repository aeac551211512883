import type { RequestOrigin } from "../../domain/audit";
import type { UnitOfWork } from "../../ports/repositories";
import { actorOf, type Principal } from "../auth/authenticate";

export interface Denial {
  actor: Principal;
  /** The tenant the actor tried to act in. */
  tenantId: string;
  /** The refusal's error code (FORBIDDEN, TENANT_MISMATCH, ROLE_ESCALATION, ...) and message. */
  code: string;
  reason: string;
  /** What was refused, e.g. `{type: "endpoint", id: "DELETE /api/v1/users/:id"}`. */
  resource: { type: string; id: string | null };
}

/**
 * Records a refused action (a 403) as `access.denied`, in a transaction of its own: whatever the
 * refused request had begun was rolled back, the refusal stays.
 */
export function makeRecordDenial({ uow }: { uow: UnitOfWork }) {
  return async function recordDenial(denial: Denial, origin: RequestOrigin): Promise<void> {
    await uow.transaction((repos) =>
      repos.audit.append(
        {
          tenantId: denial.tenantId,
          actor: actorOf(denial.actor),
          action: "access.denied",
          resource: denial.resource,
          outcome: "denied",
          metadata: { code: denial.code, reason: denial.reason },
        },
        origin,
      ),
    );
  };
}

export type RecordDenial = ReturnType<typeof makeRecordDenial>;
