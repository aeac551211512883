import type { AuditEvent } from "../../src/core/domain/audit";
import type { ChainVerification } from "../../src/core/usecases/audit/verify-audit-chain";
import { paint, type Style } from "../output";

const OUTCOME_STYLE: Record<AuditEvent["outcome"], Style | undefined> = {
  success: undefined,
  failure: "red",
  denied: "yellow",
};

/**
 * One event per line, in fixed-width columns so lines printed later (--follow) line up with the
 * first: time, seq, action, actor, resource, outcome, metadata.
 */
export function eventLine(event: AuditEvent, colour: boolean): string {
  const time = `${event.createdAt.toISOString().slice(0, 19).replace("T", " ")}Z`;
  const actor = `${event.actor.type}:${event.actor.display ?? event.actor.id ?? "-"}`;
  const resource = `${event.resource.type}/${event.resource.id ?? "-"}`;
  const metadata = Object.keys(event.metadata).length > 0 ? `  ${JSON.stringify(event.metadata)}` : "";
  return `${[
    time,
    `#${event.seq}`.padStart(6),
    event.action.padEnd(24),
    actor.padEnd(20),
    resource.padEnd(45),
    paint(event.outcome.padEnd(7), OUTCOME_STYLE[event.outcome], colour),
  ].join("  ")}${metadata}\n`;
}

export function verificationText(slug: string, result: ChainVerification, colour: boolean): string {
  if (result.valid)
    return `audit chain of ${slug}: ${paint("valid", "green", colour)} (${result.checked} events checked)\n`;
  const broken = result.firstInvalid!;
  return `audit chain of ${slug}: ${paint("BROKEN", "red", colour)} at #${broken.seq} (event ${broken.id ?? "missing"}): ${broken.reason}; ${result.checked} events before it are valid\n`;
}
