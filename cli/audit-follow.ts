import type { AuditEvent } from "../src/core/domain/audit";

/** Sleeps `ms`, or less when stopped; true while not stopped. */
function stopper() {
  let stopped = false;
  let wake = () => {};
  const stop = () => {
    stopped = true;
    wake();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return {
    get stopped() {
      return stopped;
    },
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
  };
}

/**
 * Polls for events after `lastSeq` until SIGINT or SIGTERM, handing each to `print` oldest first.
 * `newest(cursor)` reads one page of the log, newest first, as the audit use case gives it.
 * Returns normally when stopped, so the database is closed cleanly.
 */
export async function followAudit(
  lastSeq: number,
  newest: (cursor?: string) => Promise<{ items: AuditEvent[]; nextCursor: string | null }>,
  print: (event: AuditEvent) => void,
  intervalMs: number,
): Promise<void> {
  const run = stopper();
  let seen = lastSeq;
  while (!run.stopped) {
    await run.sleep(intervalMs);
    if (run.stopped) break;
    const fresh: AuditEvent[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await newest(cursor);
      fresh.push(...page.items.filter((event) => event.seq > seen));
      const oldest = page.items.at(-1);
      if (!page.nextCursor || !oldest || oldest.seq <= seen) break;
      cursor = page.nextCursor;
    }
    for (const event of fresh.reverse()) print(event);
    seen = Math.max(seen, ...fresh.map((event) => event.seq));
  }
}
