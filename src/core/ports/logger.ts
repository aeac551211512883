/** Structured logging: an event name and fields. Implementations write one JSON line per call. */
export interface Logger {
  debug(event: string, fields: Record<string, unknown>): void;
  info(event: string, fields: Record<string, unknown>): void;
  warn(event: string, fields: Record<string, unknown>): void;
  error(event: string, fields: Record<string, unknown>): void;
}
