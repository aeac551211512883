import { bigint, index, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns";
import { tenantId } from "./tenants";

/**
 * How often each flag answered yes and no (and each variant) in a tenant, per hour: from our own
 * evaluations and from Unleash SDKs' metrics posts. Keyed by the flag's key, not its id: a tenant's
 * answers for a platform-wide key and for its own flag of that key are one series.
 */
export const flagMetrics = pgTable(
  "flag_metrics",
  {
    tenantId: tenantId(),
    flagKey: text("flag_key").notNull(),
    hour: timestamptz("hour").notNull(),
    yes: bigint("yes", { mode: "number" }).notNull().default(0),
    no: bigint("no", { mode: "number" }).notNull().default(0),
    variants: jsonb("variants").$type<Record<string, number>>().notNull().default({}),
  },
  (t) => [
    primaryKey({ name: "flag_metrics_pkey", columns: [t.tenantId, t.flagKey, t.hour] }),
    // Retention deletes by hour across tenants.
    index("flag_metrics_hour_idx").on(t.hour),
  ],
);
