import { and, desc, eq, gt, isNull, ne, sql } from "drizzle-orm";
import type { RefreshToken, Session } from "../../../core/domain/session";
import type { RefreshTokenRepository, SessionRepository } from "../../../core/ports/repositories";
import type { Database } from "../database";
import { refreshTokens, sessions } from "../schema";

type Row = typeof sessions.$inferSelect;

const toSession = ({ revokedReason: _reason, ...session }: Row): Session => session;

export function sessionRepository(db: Database): SessionRepository {
  return {
    async create(session) {
      const [row] = await db
        .insert(sessions)
        .values({ ...session, lastUsedAt: session.createdAt })
        .returning();
      return toSession(row!);
    },
    async findById(tenantId, id) {
      const [row] = await db
        .select()
        .from(sessions)
        .where(and(eq(sessions.id, id), eq(sessions.tenantId, tenantId)));
      return row ? toSession(row) : null;
    },
    async listLive(tenantId, userId, now, limit) {
      const rows = await db
        .select()
        .from(sessions)
        .where(
          and(
            eq(sessions.tenantId, tenantId),
            eq(sessions.userId, userId),
            isNull(sessions.revokedAt),
            gt(sessions.expiresAt, now),
          ),
        )
        .orderBy(desc(sessions.lastUsedAt))
        .limit(limit);
      return rows.map(toSession);
    },
    async revoke({ tenantId, userId, id }, reason, at) {
      const [row] = await db
        .update(sessions)
        .set({ revokedAt: at, revokedReason: reason })
        .where(
          and(
            eq(sessions.id, id),
            eq(sessions.tenantId, tenantId),
            eq(sessions.userId, userId),
            isNull(sessions.revokedAt),
          ),
        )
        .returning();
      return row ? toSession(row) : null;
    },
    async revokeAllOfUser({ tenantId, userId, exceptId }, reason, at) {
      const rows = await db
        .update(sessions)
        .set({ revokedAt: at, revokedReason: reason })
        .where(
          and(
            eq(sessions.tenantId, tenantId),
            eq(sessions.userId, userId),
            isNull(sessions.revokedAt),
            exceptId ? ne(sessions.id, exceptId) : undefined,
          ),
        )
        .returning();
      return rows.map(toSession);
    },
    async revokeAllOfTenant(tenantId, reason, at) {
      const rows = await db
        .update(sessions)
        .set({ revokedAt: at, revokedReason: reason })
        .where(and(eq(sessions.tenantId, tenantId), isNull(sessions.revokedAt)))
        .returning();
      return rows.map(toSession);
    },
    async touch(id, at) {
      await db.update(sessions).set({ lastUsedAt: at }).where(eq(sessions.id, id));
    },
  };
}

export function refreshTokenRepository(db: Database): RefreshTokenRepository {
  return {
    async create(token) {
      await db.insert(refreshTokens).values(token);
    },
    async findForRotation(tokenHash) {
      const [row] = await db
        .select({ token: refreshTokens, session: sessions })
        .from(refreshTokens)
        .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
        .where(eq(refreshTokens.tokenHash, tokenHash))
        .for("update");
      if (!row) return null;
      const { id, sessionId, expiresAt, retiredAt, replacedBy } = row.token;
      const token: RefreshToken = { id, sessionId, expiresAt, retiredAt, replacedBy };
      return { token, session: toSession(row.session) };
    },
    async rotate(sessionId, from, to, at) {
      await db
        .update(refreshTokens)
        .set({
          retiredAt: at,
          replacedBy: sql`case when ${refreshTokens.id} = ${from} then ${to}::uuid else ${refreshTokens.replacedBy} end`,
        })
        .where(
          and(
            eq(refreshTokens.sessionId, sessionId),
            isNull(refreshTokens.retiredAt),
            ne(refreshTokens.id, to),
          ),
        );
    },
  };
}
