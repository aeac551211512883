import {
  FLAG_METRICS_LIMITS,
  FLAG_METRICS_RETENTION_HOURS,
  type FlagHourCounts,
  firstHourOfLast,
  hourOf,
} from "../../domain/flags/flag-metrics";
import type { Clock } from "../../ports/clock";
import type { FlagMetricsStore } from "../../ports/flag-metrics-store";
import type { FlagDefinitionsReader } from "./flag-definitions";
import type { FlagEvaluation } from "./flag-engine";

/** One flag's counts as an Unleash SDK posts them (`bucket.toggles[name]`). */
export interface SdkToggleCounts {
  yes?: number;
  no?: number;
  variants?: Record<string, number> | null;
}

export interface FlagMetricsDeps {
  store: Pick<FlagMetricsStore, "add" | "deleteBefore">;
  definitions: Pick<FlagDefinitionsReader, "forTenant">;
  clock: Clock;
}

const countable = (n: unknown): number =>
  typeof n === "number" && Number.isInteger(n) && n > 0 ? Math.min(n, FLAG_METRICS_LIMITS.maxCount) : 0;

function addVariant(counts: FlagHourCounts, name: string, n: number): void {
  if (n <= 0 || name.length > FLAG_METRICS_LIMITS.maxVariantNameLength) return;
  const known = Object.hasOwn(counts.variants, name);
  if (!known && Object.keys(counts.variants).length >= FLAG_METRICS_LIMITS.maxVariants) return;
  counts.variants[name] = (known ? (counts.variants[name] ?? 0) : 0) + n;
}

/** Counts not yet written, by hour, tenant and flag key: nested, so counting builds no key strings. */
class PendingCounts {
  private hours = new Map<number, Map<string, Map<string, FlagHourCounts>>>();

  /** The counts of one tenant in one hour, by flag key. */
  flagsOf(hour: Date, tenantId: string): Map<string, FlagHourCounts> {
    let tenants = this.hours.get(hour.getTime());
    if (!tenants) {
      tenants = new Map();
      this.hours.set(hour.getTime(), tenants);
    }
    let flags = tenants.get(tenantId);
    if (!flags) {
      flags = new Map();
      tenants.set(tenantId, flags);
    }
    return flags;
  }

  get empty(): boolean {
    return this.hours.size === 0;
  }

  rows(): FlagHourCounts[] {
    const rows: FlagHourCounts[] = [];
    for (const tenants of this.hours.values()) {
      for (const flags of tenants.values()) {
        for (const counts of flags.values()) {
          if (counts.yes + counts.no > 0 || Object.keys(counts.variants).length > 0) rows.push(counts);
        }
      }
    }
    return rows;
  }
}

function entry(
  flags: Map<string, FlagHourCounts>,
  hour: Date,
  tenantId: string,
  flagKey: string,
): FlagHourCounts {
  let counts = flags.get(flagKey);
  if (!counts) {
    counts = { tenantId, flagKey, hour, yes: 0, no: 0, variants: {} };
    flags.set(flagKey, counts);
  }
  return counts;
}

/**
 * Counts flag answers per tenant, flag and hour: from our own evaluations (`countAnswers`,
 * synchronous and in memory, so the hot path writes nothing) and from Unleash SDKs' metrics posts
 * (`recordSdkCounts`). `flush` adds what was counted to the store; stores add, so several instances
 * flushing their own counts in any order sum up right. Only flags the tenant has are counted, so a
 * caller cannot grow the table with invented names. Counts are filed under the hour they reach us,
 * not the hour an SDK claims: a client's clock (or an attacker) cannot write into another day.
 * Counts older than FLAG_METRICS_RETENTION_HOURS are deleted by the first flush of each hour.
 */
export function makeFlagMetrics({ store, definitions, clock }: FlagMetricsDeps) {
  let pending = new PendingCounts();
  let purgedHour = 0;

  /** Once an hour per instance: deleting is idempotent, so instances need not agree on who does it. */
  async function purgeOld(): Promise<void> {
    const now = clock.now();
    const hour = hourOf(now).getTime();
    if (hour === purgedHour) return;
    await store.deleteBefore(firstHourOfLast(FLAG_METRICS_RETENTION_HOURS, now));
    purgedHour = hour;
  }

  return {
    /** The answers of one evaluation; a variant is counted when the flag gave one, a missing flag not at all. */
    countAnswers(tenantId: string, answers: readonly FlagEvaluation[]): void {
      const hour = hourOf(clock.now());
      const flags = pending.flagsOf(hour, tenantId);
      for (const { key, enabled, variant, reason } of answers) {
        if (reason === "not_found") continue;
        const counts = entry(flags, hour, tenantId, key);
        if (enabled) counts.yes++;
        else counts.no++;
        if (variant.enabled) addVariant(counts, variant.name, 1);
      }
    },

    /** What an SDK counted, for the flags of the tenant; other names are ignored. */
    async recordSdkCounts(tenantId: string, toggles: Record<string, SdkToggleCounts>): Promise<void> {
      const known = (await definitions.forTenant(tenantId)).flags;
      const hour = hourOf(clock.now());
      const flags = pending.flagsOf(hour, tenantId);
      for (const [flagKey, toggle] of Object.entries(toggles)) {
        if (!known.has(flagKey)) continue;
        const counts = entry(flags, hour, tenantId, flagKey);
        counts.yes += countable(toggle.yes);
        counts.no += countable(toggle.no);
        for (const [name, n] of Object.entries(toggle.variants ?? {})) addVariant(counts, name, countable(n));
      }
    },

    /** Adds what was counted so far to the store; on failure the counts are kept for the next flush. */
    async flush(): Promise<number> {
      await purgeOld();
      if (pending.empty) return 0;
      const rows = pending.rows();
      pending = new PendingCounts();
      try {
        if (rows.length > 0) await store.add(rows);
      } catch (error) {
        for (const failed of rows) {
          const counts = entry(
            pending.flagsOf(failed.hour, failed.tenantId),
            failed.hour,
            failed.tenantId,
            failed.flagKey,
          );
          counts.yes += failed.yes;
          counts.no += failed.no;
          for (const [name, n] of Object.entries(failed.variants)) addVariant(counts, name, n);
        }
        throw error;
      }
      return rows.length;
    },
  };
}

export type FlagMetrics = ReturnType<typeof makeFlagMetrics>;
