import type { AuditEvent } from "../core/domain/audit";

export function presentAuditEvent(event: AuditEvent) {
  return {
    id: event.id,
    tenantId: event.tenantId,
    seq: event.seq,
    actor: event.actor,
    action: event.action,
    resource: event.resource,
    outcome: event.outcome,
    ip: event.ip,
    userAgent: event.userAgent,
    requestId: event.requestId,
    metadata: event.metadata,
    createdAt: event.createdAt.toISOString(),
    prevHash: event.prevHash,
    hash: event.hash,
  };
}

/**
 * NDJSON, one event per line, batch by batch: each batch is read from the database only when the
 * client has taken the one before, so an export of any size holds one batch in memory.
 */
export function ndjsonStream(
  batches: AsyncGenerator<AuditEvent[]>,
  onError: (error: unknown) => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await batches.next();
        if (next.done) {
          controller.close();
          return;
        }
        const lines = next.value.map((event) => `${JSON.stringify(presentAuditEvent(event))}\n`);
        controller.enqueue(encoder.encode(lines.join("")));
      } catch (error) {
        onError(error);
        controller.error(error);
      }
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
}
