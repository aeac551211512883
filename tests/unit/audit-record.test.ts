import { describe, expect, test } from "bun:test";
import { getTableConfig } from "drizzle-orm/pg-core";
import { toAuditEvent, toAuditRow } from "../../src/adapters/db/repositories/audit-rows";
import { auditEvents } from "../../src/adapters/db/schema";
import type { AuditEvent } from "../../src/core/domain/audit";
import { chainHash, eventHash, GENESIS_HASH } from "../../src/core/domain/audit-chain";

const unsealed = {
  id: "0192f1a2-0000-7000-8000-000000000001",
  tenantId: "0192f1a2-0000-7000-8000-000000000002",
  seq: 7,
  actor: { type: "user" as const, id: "0192f1a2-0000-7000-8000-000000000003", display: "ada@example.com" },
  action: "user.updated",
  resource: { type: "user", id: "0192f1a2-0000-7000-8000-000000000004" },
  outcome: "success" as const,
  ip: "203.0.113.9",
  userAgent: "curl/8",
  requestId: "req-1",
  metadata: { changed: ["role"] },
  createdAt: new Date("2026-01-02T03:04:05.678Z"),
};
const event: AuditEvent = { ...unsealed, prevHash: GENESIS_HASH, hash: eventHash(GENESIS_HASH, unsealed) };

/** A value of the same kind as `value` that differs from it. */
function altered(value: unknown): unknown {
  if (value instanceof Date) return new Date(value.getTime() + 1);
  if (typeof value === "number") return value + 1;
  if (value === null) return "set";
  if (typeof value === "object") return { ...value, added: true };
  return `${value}x`;
}

describe("the audit record", () => {
  test("the hash is the one stored chains carry: every flat field, the time as an ISO string", () => {
    expect(event.hash).toBe(
      chainHash(GENESIS_HASH, {
        id: unsealed.id,
        tenantId: unsealed.tenantId,
        seq: 7,
        actorType: "user",
        actorId: unsealed.actor.id,
        actorDisplay: "ada@example.com",
        action: "user.updated",
        resourceType: "user",
        resourceId: unsealed.resource.id,
        outcome: "success",
        ip: "203.0.113.9",
        userAgent: "curl/8",
        requestId: "req-1",
        metadata: { changed: ["role"] },
        createdAt: "2026-01-02T03:04:05.678Z",
      }),
    );
  });

  test("a row holds every column of the table and reads back as the same event", () => {
    const row = toAuditRow(event);
    expect(Object.keys(row)).toHaveLength(getTableConfig(auditEvents).columns.length);
    expect(toAuditEvent(row)).toEqual(event);
  });

  test("editing any stored column but the seal breaks the event's hash", () => {
    const row = toAuditRow(event);
    const edited = Object.keys(row).filter((column) => column !== "prevHash" && column !== "hash");
    expect(edited).toHaveLength(15);
    for (const column of edited) {
      const tampered = toAuditEvent({ ...row, [column]: altered(row[column as keyof typeof row]) });
      expect({ column, hash: eventHash(tampered.prevHash, tampered) }).not.toEqual({
        column,
        hash: event.hash,
      });
    }
  });
});
