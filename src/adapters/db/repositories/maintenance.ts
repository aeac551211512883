import { isNotNull, lte, or } from "drizzle-orm";
import type { JobLocks, Maintenance } from "../../../core/ports/repositories";
import type { Database } from "../database";
import { jobRuns, mfaChallenges, oneTimeTokens, refreshTokens, sessions } from "../schema";

/** Run claims in the job_runs table: one atomic upsert decides, without holding any lock. */
export function jobLocks(db: Database): JobLocks {
  return {
    async claim(name, now, intervalSeconds) {
      const due = new Date(now.getTime() - intervalSeconds * 1000);
      const claimed = await db
        .insert(jobRuns)
        .values({ name, lastStartedAt: now })
        .onConflictDoUpdate({
          target: jobRuns.name,
          set: { lastStartedAt: now },
          setWhere: lte(jobRuns.lastStartedAt, due),
        })
        .returning({ name: jobRuns.name });
      return claimed.length > 0;
    },
  };
}

export function maintenance(db: Database): Maintenance {
  return {
    async purgeExpired(now) {
      const deadSessions = await db
        .delete(sessions)
        .where(or(lte(sessions.expiresAt, now), isNotNull(sessions.revokedAt)))
        .returning({ id: sessions.id });
      const expiredTokens = await db
        .delete(refreshTokens)
        .where(lte(refreshTokens.expiresAt, now))
        .returning({ id: refreshTokens.id });
      const spentTokens = await db
        .delete(oneTimeTokens)
        .where(or(lte(oneTimeTokens.expiresAt, now), isNotNull(oneTimeTokens.usedAt)))
        .returning({ id: oneTimeTokens.id });
      const spentChallenges = await db
        .delete(mfaChallenges)
        .where(or(lte(mfaChallenges.expiresAt, now), isNotNull(mfaChallenges.endedAt)))
        .returning({ id: mfaChallenges.id });
      return {
        sessions: deadSessions.length,
        refreshTokens: expiredTokens.length,
        oneTimeTokens: spentTokens.length,
        mfaChallenges: spentChallenges.length,
      };
    },
  };
}
