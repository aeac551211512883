import type { Acting } from "../../domain/acting";
import type { AuditEvent } from "../../domain/audit";
import { auditFilter } from "../../domain/audit-query";
import type { AuditTrail } from "../../ports/audit-trail";
import type { AuditScopes } from "./audit-scope";

export interface AuditExportRequest {
  tenantId?: string;
  from?: Date;
  to?: Date;
}

const BATCH = 500;

/**
 * A tenant's events in chain order (oldest first, with seq and hashes, so the export can be checked
 * on its own), within `from`/`to`, as batches read one at a time: the caller streams each before the
 * next is read. Permissions are checked, and a foreign read recorded, before the first batch; the
 * export ends at the head the chain had then.
 */
export function makeExportAuditLog({
  trail,
  scope,
  batchSize = BATCH,
}: {
  trail: AuditTrail;
  scope: AuditScopes;
  batchSize?: number;
}) {
  return async function exportAuditLog(
    acting: Acting,
    request: AuditExportRequest,
  ): Promise<AsyncGenerator<AuditEvent[]>> {
    const { from, to } = auditFilter({ from: request.from, to: request.to });
    const target = await scope.resolve(acting, request.tenantId);
    await scope.recordRead(acting, target, "audit.exported", {
      from: from?.toISOString() ?? null,
      to: to?.toISOString() ?? null,
    });
    const { firstSeq, lastSeq } = await trail.bounds(target.tenantId);

    return (async function* batches() {
      let afterSeq = firstSeq - 1;
      for (;;) {
        const events = await trail.range(
          target.tenantId,
          { afterSeq, throughSeq: lastSeq, from, to },
          batchSize,
        );
        if (events.length > 0) yield events;
        if (events.length < batchSize) return;
        afterSeq = events.at(-1)!.seq;
      }
    })();
  };
}

export type ExportAuditLog = ReturnType<typeof makeExportAuditLog>;
