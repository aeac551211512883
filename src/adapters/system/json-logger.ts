import type { Logger } from "../../core/ports/logger";

type Level = "debug" | "info" | "warn" | "error";
const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One JSON line per event on stdout (errors on stderr). */
export function jsonLogger(
  minLevel: Level = "info",
  write = (line: string, level: Level) => {
    (level === "error" ? process.stderr : process.stdout).write(line);
  },
): Logger {
  const emit = (level: Level, event: string, fields: Record<string, unknown>) => {
    if (RANK[level] < RANK[minLevel]) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level, event, ...fields })}\n`, level);
  };
  return {
    debug: (event, fields) => emit("debug", event, fields),
    info: (event, fields) => emit("info", event, fields),
    warn: (event, fields) => emit("warn", event, fields),
    error: (event, fields) => emit("error", event, fields),
  };
}
