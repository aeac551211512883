import type { AuditEvent } from "../src/core/domain/audit";

/** Resolves after `ms`, or at once when `signal` is aborted. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", wake);
      resolve();
    }, ms);
    signal.addEventListener("abort", wake, { once: true });
  });
}

/**
 * Polls for events after `lastSeq` until `stop` is aborted, handing each to `print` oldest first.
 * `newest(cursor)` reads one page of the log, newest first, as the audit use case gives it.
 * Returns normally when stopped, so the database is closed cleanly.
 */
export async function followAudit(
  lastSeq: number,
  newest: (cursor?: string) => Promise<{ items: AuditEvent[]; nextCursor: string | null }>,
  print: (event: AuditEvent) => void,
  intervalMs: number,
  stop: AbortSignal,
): Promise<void> {
  let seen = lastSeq;
  while (!stop.aborted) {
    await sleep(intervalMs, stop);
    if (stop.aborted) break;
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
