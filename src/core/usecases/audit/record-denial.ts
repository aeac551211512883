import { actorOf, type Principal } from "../../domain/acting";
import type { RequestOrigin } from "../../domain/audit";
import { coalescingKey } from "../../domain/audit-coalescing";
import type { CoalescedAudit } from "./coalesced-audit";

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
 * refused request had begun was rolled back, the refusal stays. Coalesced per (tenant, actor,
 * resource, code) and minute, so repeating a refused request cannot flood the log.
 */
export function makeRecordDenial({ audit }: { audit: Pick<CoalescedAudit, "record"> }) {
  return async function recordDenial(denial: Denial, origin: RequestOrigin): Promise<void> {
    const actor = actorOf(denial.actor);
    const { resource, code } = denial;
    await audit.record(
      coalescingKey("access.denied", denial.tenantId, actor.type, actor.id, resource.type, resource.id, code),
      {
        tenantId: denial.tenantId,
        actor,
        action: "access.denied",
        resource,
        outcome: "denied",
        metadata: { code, reason: denial.reason },
      },
      origin,
    );
  };
}

export type RecordDenial = ReturnType<typeof makeRecordDenial>;
