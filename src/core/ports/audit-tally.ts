import type { AuditEventInput, RequestOrigin } from "../domain/audit";

/** What a minute's summary is written from: the event and origin of the first occurrence counted. */
export interface TallySample {
  event: AuditEventInput;
  origin: RequestOrigin;
}

/** The occurrences of one key in one minute that no event records yet. */
export interface TalliedMinute {
  /** Minutes since the epoch. */
  minute: number;
  count: number;
  /** Epoch milliseconds of the first and the last occurrence counted. */
  firstAt: number;
  lastAt: number;
  sample: TallySample;
}

export interface TallyNote {
  /** The key's first occurrence in its minute: nothing was counted, the caller records it now. */
  first: boolean;
  /** An earlier minute of the key with counted occurrences, taken out: the caller writes its summary. */
  closed: TalliedMinute | null;
}

/**
 * Counts repeated occurrences of an audited refusal per key and minute, so that the log records the
 * first of each minute at once and the rest in one summary. Shared by every instance where it can be.
 * Each counted occurrence is handed out exactly once, by `note` (when the key's next minute begins)
 * or by `take`, whichever comes first, even when instances race.
 */
export interface AuditTally {
  /** Notes one occurrence of `key` at `at` (epoch ms), in `minute`. */
  note(key: string, minute: number, at: number, sample: TallySample): Promise<TallyNote>;
  /**
   * Takes out up to `limit` minutes with counted occurrences, of minutes before `beforeMinute`. An open
   * minute taken out (on shutdown) counts on from zero.
   */
  take(beforeMinute: number, limit: number): Promise<TalliedMinute[]>;
}
