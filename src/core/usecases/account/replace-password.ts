import type { RevocationReason, Session } from "../../domain/session";
import type { Repositories } from "../../ports/repositories";

export interface PasswordOwner {
  tenantId: string;
  userId: string;
  /** A session that stays live: the one of a user changing their own password. */
  keepSessionId?: string;
}

/**
 * Sets a user's password inside the caller's transaction. Whoever sets it (the user, a reset link, an
 * invitation, an admin), every unused link of the user dies and every other session ends with it,
 * so nothing issued before the change can be used to take the account back. Returns the sessions
 * ended, for the caller to publish after commit.
 */
export async function replacePassword(
  repos: Pick<Repositories, "users" | "oneTimeTokens" | "sessions">,
  { tenantId, userId, keepSessionId }: PasswordOwner,
  passwordHash: string,
  reason: RevocationReason,
  now: Date,
): Promise<Session[]> {
  await repos.users.setPasswordHash(tenantId, userId, passwordHash, now);
  await repos.oneTimeTokens.discardAllFor(tenantId, userId);
  return repos.sessions.revokeAllOfUser({ tenantId, userId, exceptId: keepSessionId }, reason, now);
}
