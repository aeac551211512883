import { and, eq, isNull, sql } from "drizzle-orm";
import type { Session } from "../../../core/domain/session";
import type { MfaRepository } from "../../../core/ports/mfa-repository";
import type { Database } from "../database";
import { mfaChallenges, sessions, userMfa } from "../schema";

const toSession = ({ revokedReason: _reason, ...session }: typeof sessions.$inferSelect): Session => session;

export function mfaRepository(db: Database): MfaRepository {
  const factorOf = (tenantId: string, userId: string) =>
    and(eq(userMfa.tenantId, tenantId), eq(userMfa.userId, userId));

  return {
    async findFactorLocked(tenantId, userId) {
      const [row] = await db.select().from(userMfa).where(factorOf(tenantId, userId)).for("update");
      return row ?? null;
    },
    async savePending(tenantId, userId, secretSealed, at) {
      const rows = await db
        .insert(userMfa)
        .values({ tenantId, userId, secretSealed, createdAt: at, updatedAt: at })
        .onConflictDoUpdate({
          target: userMfa.userId,
          set: { secretSealed, createdAt: at, updatedAt: at, lastUsedStep: null, recoveryCodeHashes: [] },
          setWhere: and(isNull(userMfa.confirmedAt), eq(userMfa.tenantId, tenantId)),
        })
        .returning({ userId: userMfa.userId });
      return rows.length > 0;
    },
    async confirm(tenantId, userId, step, recoveryCodeHashes, at) {
      await db
        .update(userMfa)
        .set({ confirmedAt: at, lastUsedStep: step, recoveryCodeHashes, updatedAt: at })
        .where(factorOf(tenantId, userId));
    },
    async recordUse(tenantId, userId, use, at) {
      await db
        .update(userMfa)
        .set({ ...use, updatedAt: at })
        .where(factorOf(tenantId, userId));
    },
    async deleteFactor(tenantId, userId) {
      const rows = await db
        .delete(userMfa)
        .where(factorOf(tenantId, userId))
        .returning({ id: userMfa.userId });
      return rows.length > 0;
    },
    async createChallenge(challenge) {
      await db.insert(mfaChallenges).values(challenge);
    },
    async findChallengeLocked(tokenHash) {
      const [row] = await db
        .select({
          id: mfaChallenges.id,
          tenantId: mfaChallenges.tenantId,
          userId: mfaChallenges.userId,
          cookieSession: mfaChallenges.cookieSession,
          failures: mfaChallenges.failures,
          expiresAt: mfaChallenges.expiresAt,
          endedAt: mfaChallenges.endedAt,
        })
        .from(mfaChallenges)
        .where(eq(mfaChallenges.tokenHash, tokenHash))
        .for("update");
      return row ?? null;
    },
    async recordChallengeFailure(id) {
      const [row] = await db
        .update(mfaChallenges)
        .set({ failures: sql`${mfaChallenges.failures} + 1` })
        .where(eq(mfaChallenges.id, id))
        .returning({ failures: mfaChallenges.failures });
      return row?.failures ?? 0;
    },
    async endChallenge(id, at) {
      await db.update(mfaChallenges).set({ endedAt: at }).where(eq(mfaChallenges.id, id));
    },
    async releaseEnrolmentSessions(tenantId, userId) {
      const rows = await db
        .update(sessions)
        .set({ mfaEnrollmentRequired: false })
        .where(
          and(
            eq(sessions.tenantId, tenantId),
            eq(sessions.userId, userId),
            eq(sessions.mfaEnrollmentRequired, true),
          ),
        )
        .returning();
      return rows.map(toSession);
    },
    async markSessionMfa(sessionId) {
      const [row] = await db
        .update(sessions)
        .set({ mfa: true })
        .where(eq(sessions.id, sessionId))
        .returning();
      return row ? toSession(row) : null;
    },
  };
}
