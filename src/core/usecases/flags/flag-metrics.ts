import { FLAG_METRICS_LIMITS, type FlagHourCounts, hourOf } from "../../domain/flags/flag-metrics";
import type { Clock } from "../../ports/clock";
import type { FlagMetricsStore } from "../../ports/flag-metrics-store";
import type { FlagDefinitionsReader } from "./flag-definitions";

/** One flag's counts as an Unleash SDK posts them (`bucket.toggles[name]`). */
export interface SdkToggleCounts {
  yes?: number;
  no?: number;
  variants?: Record<string, number> | null;
}

export interface FlagMetricsDeps {
  store: Pick<FlagMetricsStore, "add">;
  definitions: Pick<FlagDefinitionsReader, "forTenant">;
  clock: Clock;
}

const countable = (n: unknown): number =>
  typeof n === "number" && Number.isInteger(n) && n > 0 ? Math.min(n, FLAG_METRICS_LIMITS.maxCount) : 0;

/**
 * Counts flag answers per tenant, flag and hour: from our own evaluations (`count`, synchronous and
 * in memory, so the hot path writes nothing) and from Unleash SDKs' metrics posts (`recordSdkCounts`).
 * `flush` adds what was counted to the store; stores add, so several instances flushing their own
 * counts in any order sum up right. Only flags the tenant has are counted, so a caller cannot grow
 * the table with invented names. Counts are filed under the hour they reach us, not the hour an SDK
 * claims: a client's clock (or an attacker) cannot write into another day.
 */
export function makeFlagMetrics({ store, definitions, clock }: FlagMetricsDeps) {
  let pending = new Map<string, FlagHourCounts>();

  function entry(tenantId: string, flagKey: string): FlagHourCounts {
    const hour = hourOf(clock.now());
    const id = `${tenantId}\u0000${flagKey}\u0000${hour.getTime()}`;
    let counts = pending.get(id);
    if (!counts) {
      counts = { tenantId, flagKey, hour, yes: 0, no: 0, variants: {} };
      pending.set(id, counts);
    }
    return counts;
  }

  function addVariant(counts: FlagHourCounts, name: string, n: number): void {
    if (n <= 0 || name.length > FLAG_METRICS_LIMITS.maxVariantNameLength) return;
    const known = Object.hasOwn(counts.variants, name);
    if (!known && Object.keys(counts.variants).length >= FLAG_METRICS_LIMITS.maxVariants) return;
    counts.variants[name] = (known ? (counts.variants[name] ?? 0) : 0) + n;
  }

  return {
    /** One answer of our own evaluation; a variant is counted when the flag gave one. */
    count(
      tenantId: string,
      flagKey: string,
      enabled: boolean,
      variant: { name: string; enabled: boolean },
    ): void {
      const counts = entry(tenantId, flagKey);
      if (enabled) counts.yes++;
      else counts.no++;
      if (variant.enabled) addVariant(counts, variant.name, 1);
    },

    /** What an SDK counted, for the flags of the tenant; other names are ignored. */
    async recordSdkCounts(tenantId: string, toggles: Record<string, SdkToggleCounts>): Promise<void> {
      const { flags } = await definitions.forTenant(tenantId);
      for (const [flagKey, toggle] of Object.entries(toggles)) {
        if (!flags.has(flagKey)) continue;
        const counts = entry(tenantId, flagKey);
        counts.yes += countable(toggle.yes);
        counts.no += countable(toggle.no);
        for (const [name, n] of Object.entries(toggle.variants ?? {})) addVariant(counts, name, countable(n));
      }
    },

    /** Adds what was counted so far to the store; on failure the counts are kept for the next flush. */
    async flush(): Promise<number> {
      if (pending.size === 0) return 0;
      const taken = pending;
      pending = new Map();
      const rows = [...taken.values()].filter((c) => c.yes + c.no + Object.keys(c.variants).length > 0);
      try {
        if (rows.length > 0) await store.add(rows);
      } catch (error) {
        for (const [id, counts] of taken) mergeBack(id, counts);
        throw error;
      }
      return rows.length;
    },
  };

  function mergeBack(id: string, counts: FlagHourCounts): void {
    const current = pending.get(id);
    if (!current) {
      pending.set(id, counts);
      return;
    }
    current.yes += counts.yes;
    current.no += counts.no;
    for (const [name, n] of Object.entries(counts.variants)) addVariant(current, name, n);
  }
}

export type FlagMetrics = ReturnType<typeof makeFlagMetrics>;
