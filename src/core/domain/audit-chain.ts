import { createHash } from "node:crypto";
import type { AuditEvent } from "./audit";

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
 * The hash an event must carry: over its stored fields (flat, as the columns hold them; the time as
 * an ISO string) after `prevHash`. Appending and verifying both use this one definition.
 */
export function eventHash(prevHash: string, event: Omit<AuditEvent, "prevHash" | "hash">): string {
  return chainHash(prevHash, {
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
    createdAt: event.createdAt.toISOString(),
  });
}
