import { type Acting, successEvent } from "../../domain/acting";
import type { AuditEventInput } from "../../domain/audit";

/**
 * The audit event of a change to a flag or segment: recorded in its tenant's log, or for a
 * platform-wide one (tenantId null) in the log of the platform admin's own tenant.
 */
export function scopedEvent(
  acting: Acting,
  record: { id: string; tenantId: string | null },
  resourceType: "flag" | "segment",
  action: string,
  metadata: Record<string, unknown>,
): AuditEventInput {
  return successEvent(
    acting,
    action,
    { type: resourceType, id: record.id },
    { scope: record.tenantId === null ? "platform" : "tenant", ...metadata },
    record.tenantId ?? acting.home.id,
  );
}
