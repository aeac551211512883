import { platformScope } from "../../domain/data-scope";
import type { Clock } from "../../ports/clock";
import type { PurgedCounts, UnitOfWork } from "../../ports/repositories";

export type PurgeOutcome = ({ ran: true } & PurgedCounts) | { ran: false };

const LOCK = "purge-expired";

/**
 * Deletes what can never be used again: ended sessions and their refresh tokens, spent one-time
 * tokens. With several instances on one database it runs once per interval, on whichever claims it first.
 */
export function makePurgeExpired({
  uow,
  clock,
  intervalSeconds,
}: {
  uow: UnitOfWork;
  clock: Clock;
  intervalSeconds: number;
}) {
  return async function purgeExpired(): Promise<PurgeOutcome> {
    const now = clock.now();
    // Claimed in its own transaction, so the claim stands even when the purge fails. Job claims
    // belong to no tenant (job_runs is platform-only); the purge deletes every tenant's spent rows.
    const claimed = await uow.transaction(platformScope("background jobs"), (repos) =>
      repos.locks.claim(LOCK, now, intervalSeconds),
    );
    if (!claimed) return { ran: false };
    return uow.transaction(platformScope("maintenance"), async (repos) => ({
      ran: true,
      ...(await repos.maintenance.purgeExpired(now)),
    }));
  };
}
