import { DrizzleQueryError } from "drizzle-orm/errors";
import { type ConflictError, ServiceUnavailableError } from "../../core/domain/errors";

interface PgError {
  code?: string;
  constraint?: string;
  constraint_name?: string;
}

function driverError(error: unknown): PgError | null {
  const cause = error instanceof DrizzleQueryError ? error.cause : error;
  return cause && typeof cause === "object" ? (cause as PgError) : null;
}

/** The violated constraint's name when `error` is a unique violation (SQLSTATE 23505), else null. */
export function uniqueViolation(error: unknown): string | null {
  const pg = driverError(error);
  if (pg?.code !== "23505") return null;
  return pg.constraint_name ?? pg.constraint ?? "";
}

/** Runs `write`, turning a unique violation of a known constraint into the ConflictError it means. */
export async function withConflicts<T>(
  write: () => Promise<T>,
  conflicts: Record<string, () => ConflictError>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const constraint = uniqueViolation(error);
    const conflict = constraint === null ? undefined : conflicts[constraint];
    throw conflict ? conflict() : error;
  }
}

/** True when `error` came from the database: a failed query, or an error PostgreSQL reported. */
export function isDatabaseError(error: unknown): boolean {
  if (error instanceof DrizzleQueryError) return true;
  const reported = error as { code?: unknown; severity?: unknown } | null;
  return typeof reported?.code === "string" && typeof reported.severity === "string";
}

// SQLSTATE classes start with a digit or F, H, P, X; a driver's own codes (EPIPE, ECONNRESET) do not.
const SQLSTATE = /^[0-9FHPX][0-9A-Z]{4}$/;

/**
 * A description of a database failure that is safe to log (never the query parameters), or null when
 * `error` did not come from the database.
 */
export function describeDbError(error: unknown): string | null {
  if (!isDatabaseError(error)) return null;
  const code = driverError(error)?.code;
  if (code && SQLSTATE.test(code)) return `SQLSTATE ${code}: ${rootCauseMessage(error)}`;
  return `database error${code ? ` (${code})` : ""}: ${rootCauseMessage(error)}`;
}

/** The first line of the driver's own message (drizzle's wrapper names the query, not the problem). */
export function rootCauseMessage(error: unknown): string {
  const cause = error instanceof DrizzleQueryError && error.cause ? error.cause : error;
  const message = cause instanceof Error ? cause.message || cause.name : String(cause);
  return message.split("\n")[0] ?? message;
}

const CONNECTION_FAILURES = new Set([
  "CONNECTION_ENDED",
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
]);

/** True when `error` says the database cannot be reached (not that a query was wrong). */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = driverError(error)?.code;
  return code !== undefined && (CONNECTION_FAILURES.has(code) || code.startsWith("08"));
}

/** The domain error a database failure means to a caller, or null when it is a bug to report. */
export function translateDatabaseError(error: unknown): ServiceUnavailableError | null {
  return isDatabaseUnavailable(error)
    ? new ServiceUnavailableError("DATABASE_UNAVAILABLE", "The database is unavailable; try again shortly.")
    : null;
}
