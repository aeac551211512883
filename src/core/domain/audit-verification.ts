import type { AuditEvent } from "./audit";
import { eventHash } from "./audit-chain";

/**
 * Why an event breaks the chain:
 * - `sequence_gap`: its seq is not the next one (an event before it was deleted);
 * - `broken_link`: its prev hash is not the hash of the event before it (events were reordered,
 *   or one before it was removed or rewritten along with its hash);
 * - `hash_mismatch`: its content no longer gives its hash (it was edited);
 * - `missing_tail`: the chain head records later events than the log holds (the last were deleted).
 */
export type ChainBreak = "sequence_gap" | "broken_link" | "hash_mismatch" | "missing_tail";

export interface InvalidEvent {
  seq: number;
  /** The event where the break shows; null when it is missing altogether. */
  id: string | null;
  reason: ChainBreak;
}

/** Where a walk of the chain stands: the seq and prev hash the next event must have. */
export interface ChainPosition {
  nextSeq: number;
  prevHash: string;
}

export interface SegmentCheck {
  position: ChainPosition;
  /** Events found valid before the first invalid one (all of them when none is). */
  checked: number;
  firstInvalid?: InvalidEvent;
}

/** Checks that `events`, in seq order, continue the chain at `position`. Stops at the first break. */
export function checkSegment(position: ChainPosition, events: readonly AuditEvent[]): SegmentCheck {
  let { nextSeq, prevHash } = position;
  let checked = 0;
  for (const event of events) {
    const invalid = (reason: ChainBreak): SegmentCheck => ({
      position: { nextSeq, prevHash },
      checked,
      firstInvalid: { seq: event.seq, id: event.id, reason },
    });
    if (event.seq !== nextSeq) return invalid("sequence_gap");
    if (event.prevHash !== prevHash) return invalid("broken_link");
    if (eventHash(prevHash, event) !== event.hash) return invalid("hash_mismatch");
    nextSeq += 1;
    prevHash = event.hash;
    checked += 1;
  }
  return { position: { nextSeq, prevHash }, checked };
}

/** After the last event: the walk must end where the chain head says the chain ends. */
export function checkTail(
  position: ChainPosition,
  head: { lastSeq: number; lastHash: string },
): InvalidEvent | null {
  if (position.nextSeq === head.lastSeq + 1 && position.prevHash === head.lastHash) return null;
  return { seq: position.nextSeq, id: null, reason: "missing_tail" };
}
