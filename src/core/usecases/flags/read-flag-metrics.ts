import type { Acting } from "../../domain/acting";
import { type FlagHourCounts, firstHourOfLast } from "../../domain/flags/flag-metrics";
import type { Clock } from "../../ports/clock";
import type { FlagMetricsStore } from "../../ports/flag-metrics-store";
import type { ManageFlags } from "./manage-flags";

export interface ReadFlagMetricsDeps {
  flags: Pick<ManageFlags, "get" | "getByKey">;
  store: Pick<FlagMetricsStore, "hoursOf">;
  clock: Clock;
}

export interface FlagMetricsView {
  key: string;
  hours: FlagHourCounts[];
}

/**
 * A flag's counts per hour in the acting tenant over the last `hours` hours (flags:read, checked
 * by finding the flag). A platform-wide flag shows the acting tenant's own answers, never others'.
 */
export function makeReadFlagMetrics({ flags, store, clock }: ReadFlagMetricsDeps) {
  const since = (hours: number) => firstHourOfLast(hours, clock.now());
  return {
    async byId(acting: Acting, id: string, hours: number): Promise<FlagMetricsView> {
      const flag = await flags.get(acting, id);
      return { key: flag.key, hours: await store.hoursOf(acting.tenant.id, flag.key, since(hours)) };
    },
    async byKey(acting: Acting, key: string, hours: number): Promise<FlagMetricsView> {
      const flag = await flags.getByKey(acting, { key });
      return { key: flag.key, hours: await store.hoursOf(acting.tenant.id, flag.key, since(hours)) };
    },
  };
}

export type ReadFlagMetrics = ReturnType<typeof makeReadFlagMetrics>;
