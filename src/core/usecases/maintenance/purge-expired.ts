import type { Clock } from "../../ports/clock";
import type { PurgedCounts, UnitOfWork } from "../../ports/repositories";

export type PurgeOutcome = ({ ran: true } & PurgedCounts) | { ran: false };

const LOCK = "purge-expired";

/**
 * Deletes what can never be used again: ended sessions and their refresh tokens, spent one-time
 * tokens. With several instances on one database only the one holding the lock works each run.
 */
export function makePurgeExpired({ uow, clock }: { uow: UnitOfWork; clock: Clock }) {
  return function purgeExpired(): Promise<PurgeOutcome> {
    return uow.transaction(async (repos) => {
      if (!(await repos.locks.tryAcquire(LOCK))) return { ran: false };
      return { ran: true, ...(await repos.maintenance.purgeExpired(clock.now())) };
    });
  };
}
