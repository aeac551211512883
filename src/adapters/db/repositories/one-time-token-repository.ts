import { and, eq, gt, isNull } from "drizzle-orm";
import type { OneTimeToken, OneTimeTokenRepository } from "../../../core/ports/repositories";
import type { Database } from "../database";
import { oneTimeTokens } from "../schema";

type Row = typeof oneTimeTokens.$inferSelect;

const toToken = ({ id, tenantId, userId, purpose, newEmail, expiresAt }: Row): OneTimeToken => ({
  id,
  tenantId,
  userId,
  purpose,
  newEmail,
  expiresAt,
});

export function oneTimeTokenRepository(db: Database): OneTimeTokenRepository {
  const usable = (tokenHash: string, purpose: OneTimeToken["purpose"], now: Date) =>
    and(
      eq(oneTimeTokens.tokenHash, tokenHash),
      eq(oneTimeTokens.purpose, purpose),
      isNull(oneTimeTokens.usedAt),
      gt(oneTimeTokens.expiresAt, now),
    );

  return {
    async issue(token) {
      await db
        .delete(oneTimeTokens)
        .where(
          and(
            eq(oneTimeTokens.tenantId, token.tenantId),
            eq(oneTimeTokens.userId, token.userId),
            eq(oneTimeTokens.purpose, token.purpose),
            isNull(oneTimeTokens.usedAt),
          ),
        );
      await db.insert(oneTimeTokens).values(token);
    },
    async discardAllFor(tenantId, userId) {
      await db
        .delete(oneTimeTokens)
        .where(
          and(
            eq(oneTimeTokens.tenantId, tenantId),
            eq(oneTimeTokens.userId, userId),
            isNull(oneTimeTokens.usedAt),
          ),
        );
    },
    async discardRequestedBy(requesterId) {
      await db
        .delete(oneTimeTokens)
        .where(and(eq(oneTimeTokens.requestedBy, requesterId), isNull(oneTimeTokens.usedAt)));
    },
    async peek(tokenHash, purpose, now) {
      const [row] = await db
        .select()
        .from(oneTimeTokens)
        .where(usable(tokenHash, purpose, now));
      return row ? toToken(row) : null;
    },
    async consume(tokenHash, purpose, now) {
      const [row] = await db
        .update(oneTimeTokens)
        .set({ usedAt: now })
        .where(usable(tokenHash, purpose, now))
        .returning();
      return row ? toToken(row) : null;
    },
  };
}
