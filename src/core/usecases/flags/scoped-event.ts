import { actorOf } from "../../domain/acting";
import type { AuditEventInput } from "../../domain/audit";
import type { FlagActing } from "./flag-access";

/**
 * The audit event of a change to a flag or segment: recorded in its tenant's log, or for a
 * platform-wide one (tenantId null) in the log of the platform admin's own tenant.
 */
export function scopedEvent(
  acting: FlagActing,
  record: { id: string; tenantId: string | null },
  resourceType: "flag" | "segment",
  action: string,
  metadata: Record<string, unknown>,
): AuditEventInput {
  return {
    tenantId: record.tenantId ?? acting.home.id,
    actor: actorOf(acting.actor),
    action,
    resource: { type: resourceType, id: record.id },
    outcome: "success",
    metadata: { scope: record.tenantId === null ? "platform" : "tenant", ...metadata },
  };
}
