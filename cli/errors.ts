import { CommanderError } from "commander";
import { rootCauseMessage } from "../src/adapters/db/db-errors";
import { DatabaseUnavailableError } from "../src/composition/open-database";
import { ConfigError } from "../src/config";
import { DomainError, ValidationError } from "../src/core/domain/errors";

/** Exit codes: 0 success, 1 a refused operation, 2 usage error, 3 cannot reach the database. */
export const EXIT = { ok: 0, refused: 1, usage: 2, database: 3 } as const;

/** What the command was given cannot be used, found after parsing (exit code 2, one line, no help text). */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The command printed why it failed and ends with this exit code, with nothing more said. */
export class ExitStatus extends Error {
  override name = "ExitStatus";
  constructor(readonly code: number) {
    super(`exit status ${code}`);
  }
}

/** The operator answered no to a confirmation. */
export class NotConfirmedError extends Error {
  override name = "NotConfirmedError";
  constructor() {
    super("not confirmed; nothing changed.");
  }
}

function domainLine(error: DomainError): string {
  const problems =
    error instanceof ValidationError && error.errors.length > 0
      ? ` (${error.errors.map((p) => `${p.field}: ${p.message}`).join("; ")})`
      : "";
  return `${error.code}: ${error.message}${problems}`;
}

/** SQLSTATE 42P01, undefined_table: the database was never migrated. */
function missingSchema(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } })?.cause ?? error;
  return (cause as { code?: string })?.code === "42P01";
}

/**
 * The exit code for what a command threw, and the one line to print on stderr (commander has
 * printed its own usage errors already). Never a stack trace or a query.
 */
export function failure(error: unknown): { code: number; line: string | null } {
  if (error instanceof CommanderError)
    return { code: error.exitCode === 0 ? EXIT.ok : EXIT.usage, line: null };
  if (error instanceof ExitStatus) return { code: error.code, line: null };
  if (error instanceof DatabaseUnavailableError) return { code: EXIT.database, line: error.message };
  if (error instanceof ConfigError || error instanceof UsageError)
    return { code: EXIT.usage, line: error.message };
  if (error instanceof DomainError) return { code: EXIT.refused, line: domainLine(error) };
  if (error instanceof NotConfirmedError) return { code: EXIT.refused, line: error.message };
  if (missingSchema(error)) {
    return {
      code: EXIT.refused,
      line: "The database has no schema yet: run `saasctl migrate`, then `saasctl seed`.",
    };
  }
  return { code: EXIT.refused, line: `unexpected error: ${rootCauseMessage(error)}` };
}
