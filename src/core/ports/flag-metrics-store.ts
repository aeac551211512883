import type { FlagHourCounts } from "../domain/flags/flag-metrics";

/** Where flag metrics are kept: counts are added, never replaced, so instances may write in any order. */
export interface FlagMetricsStore {
  /** Adds each row's counts to the stored ones of its tenant, flag and hour. */
  add(rows: readonly FlagHourCounts[]): Promise<void>;
  /** The tenant's counts for the flag from `since` on, oldest hour first. */
  hoursOf(tenantId: string, flagKey: string, since: Date): Promise<FlagHourCounts[]>;
  /** Deletes every tenant's counts of the hours before `hour`; how many rows went. */
  deleteBefore(hour: Date): Promise<number>;
}
