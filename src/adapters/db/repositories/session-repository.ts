import { eq } from "drizzle-orm";
import type { Session } from "../../../core/domain/session";
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
    async findById(id) {
      const [row] = await db.select().from(sessions).where(eq(sessions.id, id));
      return row ? toSession(row) : null;
    },
  };
}

export function refreshTokenRepository(db: Database): RefreshTokenRepository {
  return {
    async create(token) {
      await db.insert(refreshTokens).values(token);
    },
  };
}
