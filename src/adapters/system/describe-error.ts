import { describeDbError } from "../db/db-errors";

const MAX_MESSAGE_LENGTH = 500;

/** The class of a thrown value as a log names it; a subclass that keeps Error's name is named by its constructor. */
export function errorClass(error: unknown): string {
  if (!(error instanceof Error)) return error === null ? "null" : typeof error;
  return error.name && error.name !== "Error" ? error.name : error.constructor.name || "Error";
}

/**
 * One line saying what failed, safe to log: a database failure as the database put it (never the
 * query or its parameters), anything else by its real class and the first line of its message. Never
 * a stack.
 */
export function describeError(error: unknown): string {
  const database = describeDbError(error);
  if (database !== null) return database;
  if (!(error instanceof Error))
    return `${errorClass(error)} thrown: ${String(error).slice(0, MAX_MESSAGE_LENGTH)}`;
  const code = (error as { code?: unknown }).code;
  const message = (error.message.split("\n")[0] ?? "").slice(0, MAX_MESSAGE_LENGTH);
  return `${errorClass(error)}${typeof code === "string" ? ` (${code})` : ""}: ${message}`;
}
