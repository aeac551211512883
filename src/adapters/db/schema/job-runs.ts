import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** When each background job last started, on any instance: a run is claimed once per interval. */
export const jobRuns = pgTable("job_runs", {
  name: text("name").primaryKey(),
  lastStartedAt: timestamp("last_started_at", { withTimezone: true }).notNull(),
});
