import type { Acting } from "../../domain/acting";
import type { AuditEvent } from "../../domain/audit";
import {
  type AuditEventFilter,
  type AuditQuery,
  auditCursor,
  auditFilter,
  auditPageLimit,
} from "../../domain/audit-query";
import type { Page } from "../../domain/pagination";
import type { AuditTrail } from "../../ports/audit-trail";
import type { AuditScopes } from "./audit-scope";

export interface AuditLogRequest extends AuditQuery {
  /** Another tenant's log (platform admins); the reader's own by default. */
  tenantId?: string;
  limit?: number;
  cursor?: string;
}

/**
 * One page of the tenant's events matching `filter`, newest first, of seq below `beforeSeq` (null:
 * from the newest). The next cursor is the seq of the page's last event, so pages stay stable while
 * events are appended.
 */
export async function auditPage(
  trail: AuditTrail,
  tenantId: string,
  filter: AuditEventFilter,
  { limit, beforeSeq }: { limit: number; beforeSeq: number | null },
): Promise<Page<AuditEvent>> {
  const rows = await trail.search(tenantId, filter, { limit: limit + 1, beforeSeq });
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? auditCursor.encode(last.seq) : null };
}

/** A page of a tenant's audit log, newest first, filtered; another tenant's read is recorded there. */
export function makeReadAuditLog({ trail, scope }: { trail: AuditTrail; scope: AuditScopes }) {
  return async function readAuditLog(acting: Acting, request: AuditLogRequest): Promise<Page<AuditEvent>> {
    const { tenantId, limit: requestedLimit, cursor, ...query } = request;
    const filter = auditFilter(query);
    const limit = auditPageLimit(requestedLimit);
    const beforeSeq = cursor === undefined ? null : auditCursor.decode(cursor);
    const target = await scope.resolve(acting, tenantId);
    await scope.recordRead(acting, target, "audit.read", { query, cursor: cursor ?? null });
    return auditPage(trail, target.tenantId, filter, { limit, beforeSeq });
  };
}

export type ReadAuditLog = ReturnType<typeof makeReadAuditLog>;
