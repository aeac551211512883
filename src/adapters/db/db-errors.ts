import { DrizzleQueryError } from "drizzle-orm/errors";
import type { ConflictError } from "../../core/domain/errors";

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

/** A description of a database failure that is safe to log: never the query parameters. */
export function describeDbError(error: unknown): string {
  const pg = driverError(error) as (PgError & { message?: string }) | null;
  return pg?.code ? `SQLSTATE ${pg.code}: ${pg.message ?? "database error"}` : "database error";
}

/** The first line of the driver's own message (drizzle's wrapper names the query, not the problem). */
export function rootCauseMessage(error: unknown): string {
  const cause = error instanceof DrizzleQueryError && error.cause ? error.cause : error;
  const message = cause instanceof Error ? cause.message || cause.name : String(cause);
  return message.split("\n")[0] ?? message;
}
