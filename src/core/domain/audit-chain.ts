import { createHash } from "node:crypto";
import { toAuditRecord, type UnsealedAuditEvent } from "./audit-record";

/** The `prev_hash` of the first event of every chain. */
export const GENESIS_HASH = "0".repeat(64);

/** JSON with object keys sorted at every depth: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** `SHA-256(prevHash || canonical JSON of the event)`, hex encoded. */
export function chainHash(prevHash: string, event: Record<string, unknown>): string {
  return createHash("sha256").update(prevHash).update(canonicalJson(event)).digest("hex");
}

/**
 * The hash an event must carry: over its record (flat, as the columns hold it; the time as an ISO
 * string) after `prevHash`. Appending and verifying both use this one definition.
 */
export function eventHash(prevHash: string, event: UnsealedAuditEvent): string {
  const record = toAuditRecord(event);
  return chainHash(prevHash, { ...record, createdAt: record.createdAt.toISOString() });
}
