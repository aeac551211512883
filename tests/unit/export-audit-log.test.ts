import { describe, expect, test } from "bun:test";
import type { AuditEvent } from "../../src/core/domain/audit";
import { GENESIS_HASH } from "../../src/core/domain/audit-chain";
import type { AuditTrail } from "../../src/core/ports/audit-trail";
import type { AuditScopes } from "../../src/core/usecases/audit/audit-scope";
import { makeExportAuditLog } from "../../src/core/usecases/audit/export-audit-log";

const event = (seq: number): AuditEvent => ({
  id: `id-${seq}`,
  tenantId: "t1",
  seq,
  actor: { type: "system", id: null, display: null },
  action: "test.event",
  resource: { type: "test", id: null },
  outcome: "success",
  ip: null,
  userAgent: null,
  requestId: null,
  metadata: {},
  createdAt: new Date(1_700_000_000_000 + seq),
  prevHash: GENESIS_HASH,
  hash: GENESIS_HASH,
});

/** A chain of `count` events that records each read. */
function fakeTrail(count: number) {
  const events = Array.from({ length: count }, (_, i) => event(i + 1));
  const reads: { afterSeq: number; throughSeq: number; limit: number }[] = [];
  const trail = {
    async bounds() {
      return { firstSeq: 1, prevHash: GENESIS_HASH, lastSeq: events.length, lastHash: GENESIS_HASH };
    },
    async range(_tenantId: string, span: { afterSeq: number; throughSeq: number }, limit: number) {
      reads.push({ ...span, limit });
      return events.filter((e) => e.seq > span.afterSeq && e.seq <= span.throughSeq).slice(0, limit);
    },
  } as unknown as AuditTrail;
  return { trail, reads, append: () => events.push(event(events.length + 1)) };
}

const scope = {
  resolve: async () => ({ tenantId: "t1", foreign: false }),
  recordRead: async () => {},
} as unknown as AuditScopes;
const acting = {} as Parameters<ReturnType<typeof makeExportAuditLog>>[0];

describe("exportAuditLog", () => {
  test("reads one batch at a time, only when the consumer asks for it", async () => {
    const { trail, reads } = fakeTrail(25);
    const batches = await makeExportAuditLog({ trail, scope, batchSize: 10 })(acting, {});
    expect(reads).toEqual([]);
    expect((await batches.next()).value?.map((e: AuditEvent) => e.seq)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    expect(reads).toEqual([{ afterSeq: 0, throughSeq: 25, limit: 10 }]);
    const rest: number[] = [];
    for await (const batch of batches) rest.push(...batch.map((e) => e.seq));
    expect(rest).toEqual(Array.from({ length: 15 }, (_, i) => i + 11));
    expect(reads.map((r) => r.afterSeq)).toEqual([0, 10, 20]);
  });

  test("ends at the head the chain had when the export began", async () => {
    const { trail, append } = fakeTrail(10);
    const batches = await makeExportAuditLog({ trail, scope, batchSize: 4 })(acting, {});
    const seen: number[] = [];
    for await (const batch of batches) {
      seen.push(...batch.map((e) => e.seq));
      append();
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  test("refuses from after to before reading anything", async () => {
    const { trail, reads } = fakeTrail(3);
    const run = makeExportAuditLog({ trail, scope })(acting, {
      from: new Date("2026-02-01T00:00:00Z"),
      to: new Date("2026-01-01T00:00:00Z"),
    });
    await expect(run).rejects.toMatchObject({ code: "INVALID_AUDIT_FILTER" });
    expect(reads).toEqual([]);
  });
});
