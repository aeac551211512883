import type { AuditEventInput } from "./audit";

/** Coalescing counts per key and minute since the epoch, on the clock of whoever notes. */
export const minuteOf = (epochMs: number) => Math.floor(epochMs / 60_000);

/** A coalescing key from its parts (who, in which tenant, refused what); no part can forge another. */
export const coalescingKey = (...parts: (string | null)[]) => JSON.stringify(parts);

export interface Occurrences {
  count: number;
  /** Epoch milliseconds. */
  firstAt: number;
  lastAt: number;
}

/**
 * A coalesced event: its own metadata plus `count` (the refusals it stands for), `firstAt` and
 * `lastAt` (when the first and the last of them happened) and `summary` (false for the first of a
 * minute, written at once; true for the one that stands for the rest of that minute).
 */
export function coalescedEvent(
  event: AuditEventInput,
  { count, firstAt, lastAt }: Occurrences,
  summary: boolean,
): AuditEventInput {
  return {
    ...event,
    metadata: {
      ...event.metadata,
      count,
      firstAt: new Date(firstAt).toISOString(),
      lastAt: new Date(lastAt).toISOString(),
      summary,
    },
  };
}
