import type { Acting } from "../../domain/acting";
import type { AuditEvent } from "../../domain/audit";
import { type AuditQuery, auditCursor, auditFilter, auditPageLimit } from "../../domain/audit-query";
import type { Page } from "../../domain/pagination";
import type { AuditTrail } from "../../ports/audit-trail";
import type { AuditScopes } from "./audit-scope";
import { auditPage } from "./read-audit-log";

export interface AuditFollowRequest extends AuditQuery {
  /** Another tenant's log (platform admins); the reader's own by default. */
  tenantId?: string;
}

/** The pages of one followed log: newest first, as `readAuditLog` gives them. */
export interface AuditFollow {
  page(request: { limit?: number; cursor?: string }): Promise<Page<AuditEvent>>;
}

/**
 * A read of a tenant's log that goes on (`saasctl audit tail --follow`). It is authorised and
 * recorded once, as one `audit.read` with `follow: true` in a foreign tenant's log; its pages are
 * then read as often as the follower polls, without a record each: the log says who read which log
 * and how, not how often they looked (a poll a second would be 86,400 events a day).
 */
export function makeFollowAuditLog({ trail, scope }: { trail: AuditTrail; scope: AuditScopes }) {
  return async function followAuditLog(acting: Acting, request: AuditFollowRequest): Promise<AuditFollow> {
    const { tenantId, ...query } = request;
    const filter = auditFilter(query);
    const target = await scope.resolve(acting, tenantId);
    await scope.recordRead(acting, target, "audit.read", { query, cursor: null, follow: true });
    return {
      page({ limit, cursor }) {
        const beforeSeq = cursor === undefined ? null : auditCursor.decode(cursor);
        return auditPage(trail, target.tenantId, filter, { limit: auditPageLimit(limit), beforeSeq });
      },
    };
  };
}

export type FollowAuditLog = ReturnType<typeof makeFollowAuditLog>;
