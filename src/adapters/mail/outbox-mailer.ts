import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { Clock } from "../../core/ports/clock";
import type { Mailer } from "../../core/ports/mailer";

/**
 * Development mailer: appends each message as one JSON line to a local file, where a developer (or a
 * test) reads the links it carries. Writes are chained so concurrent sends never interleave.
 */
export function outboxMailer(path: string, clock: Clock): Mailer {
  let pending: Promise<void> = mkdir(dirname(path), { recursive: true }).then(() => {});
  return {
    send(message) {
      const line = `${JSON.stringify({ ...message, sentAt: clock.now().toISOString() })}\n`;
      pending = pending.then(() => appendFile(path, line));
      return pending;
    },
  };
}
