import { isNotNull, lte, or, sql } from "drizzle-orm";
import type { JobLocks, Maintenance } from "../../../core/ports/repositories";
import type { Database } from "../database";
import { oneTimeTokens, refreshTokens, sessions } from "../schema";

/** PostgreSQL advisory locks scoped to the transaction, keyed by a hash of the name. */
export function jobLocks(db: Database): JobLocks {
  return {
    async tryAcquire(name) {
      const [row] = await db
        .select({ acquired: sql<boolean>`pg_try_advisory_xact_lock(hashtext(${name}))` })
        .from(sql`(select 1) as one`);
      return row?.acquired === true;
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
      return {
        sessions: deadSessions.length,
        refreshTokens: expiredTokens.length,
        oneTimeTokens: spentTokens.length,
      };
    },
  };
}
