import type { AuditEvent } from "./audit";

/** An event before its place in the chain is sealed: what its hash covers. */
export type UnsealedAuditEvent = Omit<AuditEvent, "prevHash" | "hash">;

/**
 * An event flat, as its row holds it. These are exactly the fields its hash covers, so a column
 * added to the row mapping is hashed too.
 */
export interface AuditRecord {
  id: string;
  tenantId: string;
  seq: number;
  actorType: AuditEvent["actor"]["type"];
  actorId: string | null;
  actorDisplay: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  outcome: AuditEvent["outcome"];
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
}

export function toAuditRecord(event: UnsealedAuditEvent): AuditRecord {
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
  };
}

export function fromAuditRecord(
  record: AuditRecord,
  seal: Pick<AuditEvent, "prevHash" | "hash">,
): AuditEvent {
  return {
    id: record.id,
    tenantId: record.tenantId,
    seq: record.seq,
    actor: { type: record.actorType, id: record.actorId, display: record.actorDisplay },
    action: record.action,
    resource: { type: record.resourceType, id: record.resourceId },
    outcome: record.outcome,
    ip: record.ip,
    userAgent: record.userAgent,
    requestId: record.requestId,
    metadata: record.metadata,
    createdAt: record.createdAt,
    prevHash: seal.prevHash,
    hash: seal.hash,
  };
}
