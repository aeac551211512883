import type { Database } from "./database";
import { driverClientOf } from "./driver-client";

/** A row as the driver returns it: columns by name, timestamps as a Date or PostgreSQL's text. */
export type DriverRow = Record<string, unknown>;

/** Runs one statement of fixed text with its parameters on the connection of `db`. */
export type RunStatement = (text: string, params: readonly unknown[]) => Promise<DriverRow[]>;

/**
 * Runs statements whose text is a constant on the connection of a drizzle database or transaction,
 * without drizzle's query builder: for the hottest writes, where building the SQL text from the
 * builder on every call (100-300 µs of CPU each with postgres.js) costs more than the statement.
 * On postgres.js the statement is prepared (described once per connection, then only bound and
 * executed); PGlite is in process and has no round trips to save.
 *
 * What it does not do, so callers must: pass timestamps as ISO strings (drizzle makes postgres.js
 * send timestamp parameters as they are given) and read them with `timestampOf` (postgres.js returns
 * them as text there, PGlite as a Date). Rows come with their column names as the statement gives them.
 */
export function fixedStatements(db: Database): RunStatement {
  const client = driverClientOf(db);
  if ("unsafe" in client) {
    return (text, params) =>
      client.unsafe(text, params as never[], { prepare: true }) as unknown as Promise<DriverRow[]>;
  }
  return async (text, params) => (await client.query<DriverRow>(text, params as unknown[])).rows;
}

/** A timestamp column of a driver row as a Date (null stays null). */
export function timestampOf(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(value as string);
}

/** A timestamp column that is never null. */
export function requiredTimestampOf(value: unknown): Date {
  const at = timestampOf(value);
  if (!at) throw new Error("expected a timestamp, got null");
  return at;
}
