import type { AuditEvent } from "../../../core/domain/audit";
import type { auditEvents } from "../schema";

type AuditRow = typeof auditEvents.$inferSelect;

/** A stored row as the core's event. */
export function toAuditEvent(row: AuditRow): AuditEvent {
  return {
    id: row.id,
    tenantId: row.tenantId,
    seq: row.seq,
    actor: { type: row.actorType, id: row.actorId, display: row.actorDisplay },
    action: row.action,
    resource: { type: row.resourceType, id: row.resourceId },
    outcome: row.outcome,
    ip: row.ip,
    userAgent: row.userAgent,
    requestId: row.requestId,
    metadata: row.metadata,
    createdAt: row.createdAt,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/** The core's event as a row to insert. */
export function toAuditRow(event: AuditEvent): AuditRow {
  return {
    id: event.id,
    tenantId: event.tenantId,
    seq: event.seq,
    actorType: event.actor.type,
    actorId: event.actor.id,
    actorDisplay: event.actor.display,
    action: event.action,
    resourceType: event.resource.type,
    resourceId: event.resource.id,
    outcome: event.outcome,
    ip: event.ip,
    userAgent: event.userAgent,
    requestId: event.requestId,
    metadata: event.metadata,
    createdAt: event.createdAt,
    prevHash: event.prevHash,
    hash: event.hash,
  };
}
