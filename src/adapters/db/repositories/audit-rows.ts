import type { AuditEvent } from "../../../core/domain/audit";
import { fromAuditRecord, toAuditRecord } from "../../../core/domain/audit-record";
import type { auditEvents } from "../schema";

type AuditRow = typeof auditEvents.$inferSelect;

/** A stored row as the core's event. */
export function toAuditEvent(row: AuditRow): AuditEvent {
  return fromAuditRecord(row, row);
}

/** The core's event as a row to insert: its hashed record and the seal. */
export function toAuditRow(event: AuditEvent): AuditRow {
  return { ...toAuditRecord(event), prevHash: event.prevHash, hash: event.hash };
}
