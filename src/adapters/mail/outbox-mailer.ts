import { appendFile, chmod, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { Clock } from "../../core/ports/clock";
import type { Mailer } from "../../core/ports/mailer";

/** Only the server's own user may read the file: it holds live reset and invitation links. */
const OWNER_ONLY = 0o600;

/** Creates the file owner-only, and tightens one an earlier version (or a person) left readable. */
async function prepareOutbox(path: string) {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await appendFile(path, "", { mode: OWNER_ONLY });
  await chmod(path, OWNER_ONLY);
}

/**
 * Development mailer: appends each message as one JSON line to a local file, where a developer (or a
 * test) reads the links it carries. Writes are chained so concurrent sends never interleave.
 */
export function outboxMailer(path: string, clock: Clock): Mailer {
  let pending: Promise<void> = prepareOutbox(path);
  // A failure reaches every send; unobserved until then, it must not end the process.
  pending.catch(() => {});
  return {
    send(message) {
      const line = `${JSON.stringify({ ...message, sentAt: clock.now().toISOString() })}\n`;
      // Created owner-only again should someone delete it while the server runs.
      pending = pending.then(() => appendFile(path, line, { mode: OWNER_ONLY }));
      return pending;
    },
  };
}
