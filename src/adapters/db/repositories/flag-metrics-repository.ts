import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import { platformScope, tenantScope } from "../../../core/domain/data-scope";
import type { FlagHourCounts } from "../../../core/domain/flags/flag-metrics";
import type { FlagMetricsStore } from "../../../core/ports/flag-metrics-store";
import { flagMetrics } from "../schema";
import type { ScopedDatabase } from "../scoped-database";

const ROWS_PER_STATEMENT = 500;

/** The stored variant counts plus the incoming ones, name by name. */
const summedVariants = sql`(
  select coalesce(jsonb_object_agg(name, total), '{}'::jsonb)
  from (
    select key as name, sum(value::bigint) as total
    from (
      select * from jsonb_each_text(${flagMetrics.variants})
      union all
      select * from jsonb_each_text(excluded.variants)
    ) as both_counts
    group by key
  ) as sums
)`;

/**
 * Flag metrics. An instance's flush adds the counts of every tenant it served, and the hourly purge
 * deletes every tenant's old hours: both are platform work, named "metrics". A tenant's read is in
 * its own scope.
 */
export function flagMetricsRepository(db: ScopedDatabase): FlagMetricsStore {
  const metrics = platformScope("metrics");
  return {
    async add(rows) {
      // Sorted so two instances flushing the same hours lock the rows in the same order.
      const sorted = [...rows].sort(
        (a, b) =>
          a.tenantId.localeCompare(b.tenantId) ||
          a.flagKey.localeCompare(b.flagKey) ||
          a.hour.getTime() - b.hour.getTime(),
      );
      // One transaction per statement, as before: a chunk's row locks are held no longer than it runs.
      for (let i = 0; i < sorted.length; i += ROWS_PER_STATEMENT) {
        const chunk = sorted.slice(i, i + ROWS_PER_STATEMENT);
        await db.transaction(metrics, (tx) =>
          tx
            .insert(flagMetrics)
            .values(chunk)
            .onConflictDoUpdate({
              target: [flagMetrics.tenantId, flagMetrics.flagKey, flagMetrics.hour],
              set: {
                yes: sql`${flagMetrics.yes} + excluded.yes`,
                no: sql`${flagMetrics.no} + excluded.no`,
                variants: summedVariants,
              },
            }),
        );
      }
    },

    async deleteBefore(hour) {
      const deleted = await db.transaction(metrics, (tx) =>
        tx.delete(flagMetrics).where(lt(flagMetrics.hour, hour)).returning({ hour: flagMetrics.hour }),
      );
      return deleted.length;
    },

    async hoursOf(tenantId, flagKey, since): Promise<FlagHourCounts[]> {
      const rows = await db.transaction(tenantScope(tenantId), (tx) =>
        tx
          .select()
          .from(flagMetrics)
          .where(
            and(
              eq(flagMetrics.tenantId, tenantId),
              eq(flagMetrics.flagKey, flagKey),
              gte(flagMetrics.hour, since),
            ),
          )
          .orderBy(asc(flagMetrics.hour)),
      );
      return rows.map((row) => ({
        ...row,
        variants: Object.fromEntries(Object.entries(row.variants).map(([name, n]) => [name, Number(n)])),
      }));
    },
  };
}
