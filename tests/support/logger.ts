import type { Logger } from "../../src/core/ports/logger";

export interface LogLine {
  level: "debug" | "info" | "warn" | "error";
  event: string;
  fields: Record<string, unknown>;
}

/** A logger that keeps what it is told, for tests to read. */
export function recordingLogger() {
  const lines: LogLine[] = [];
  return {
    lines,
    /** The first line matching, waiting (bounded) for it: request lines are written after the response. */
    async waitFor(match: (line: LogLine) => boolean, timeoutMs = 1_000): Promise<LogLine | undefined> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = lines.find(match);
        if (found) return found;
        await Bun.sleep(5);
      }
      return undefined;
    },
    debug: (event, fields) => void lines.push({ level: "debug", event, fields }),
    info: (event, fields) => void lines.push({ level: "info", event, fields }),
    warn: (event, fields) => void lines.push({ level: "warn", event, fields }),
    error: (event, fields) => void lines.push({ level: "error", event, fields }),
  } satisfies Logger & Record<string, unknown>;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
