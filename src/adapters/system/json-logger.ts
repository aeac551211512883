import { writeSync } from "node:fs";
import type { Logger } from "../../core/ports/logger";

type Level = "debug" | "info" | "warn" | "error";
const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * Where lines go. With a descriptor (process.stdout's is 1) they are written to it synchronously, so
 * they keep their order and none is left behind at exit; a full pipe holds the writer back rather
 * than letting lines pile up in memory.
 */
export interface LineOutput {
  write(chunk: string): unknown;
  fd?: number;
}

function send(target: LineOutput, chunk: string) {
  if (target.fd === undefined) target.write(chunk);
  else writeAllSync(target.fd, chunk);
}

/** Writes `text` to `fd` synchronously, waiting out a full pipe; a reader that is gone loses it. */
function writeAllSync(fd: number, text: string) {
  let rest = Buffer.from(text);
  while (rest.length > 0) {
    try {
      rest = rest.subarray(writeSync(fd, rest));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") return;
      Bun.sleepSync(1);
    }
  }
}

/**
 * Lines gathered while the event loop runs and written in one call when it turns (or once 64 KiB
 * wait), not one write per line; an error line is written at once, after what waits. What waits
 * when the process exits is written then, so `process.exit` loses no line.
 */
export function bufferedLines({
  out = process.stdout as LineOutput,
  err = process.stderr as LineOutput,
  maxBytes = 64 * 1024,
} = {}): (line: string, level: Level) => void {
  let waiting: string[] = [];
  let bytes = 0;
  let scheduled = false;

  function take(): string {
    const chunk = waiting.join("");
    waiting = [];
    bytes = 0;
    return chunk;
  }
  function flush() {
    scheduled = false;
    if (waiting.length > 0) send(out, take());
  }
  process.on("exit", flush);

  return (line, level) => {
    if (level === "error") {
      flush();
      send(err, line);
      return;
    }
    waiting.push(line);
    bytes += line.length;
    if (bytes >= maxBytes) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
}

/**
 * One JSON line per event: time, level, event, then the fields. The line is built from the fields'
 * own JSON (no merged copy), and the time string is made once per millisecond.
 */
export function jsonLogger(minLevel: Level = "info", write = bufferedLines()): Logger {
  let stampedAt = 0;
  let stamp = "";
  const time = () => {
    const now = Date.now();
    if (now !== stampedAt) {
      stampedAt = now;
      stamp = new Date(now).toISOString();
    }
    return stamp;
  };
  const emit = (level: Level, event: string, fields: Record<string, unknown>) => {
    if (RANK[level] < RANK[minLevel]) return;
    const rest = JSON.stringify(fields);
    const head = `{"time":"${time()}","level":"${level}","event":${JSON.stringify(event)}`;
    write(`${head}${rest === "{}" ? "}" : `,${rest.slice(1)}`}\n`, level);
  };
  return {
    debug: (event, fields) => emit("debug", event, fields),
    info: (event, fields) => emit("info", event, fields),
    warn: (event, fields) => emit("warn", event, fields),
    error: (event, fields) => emit("error", event, fields),
  };
}
