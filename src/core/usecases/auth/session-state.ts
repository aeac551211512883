import { cacheKeys } from "../../domain/cache-keys";
import type { Session } from "../../domain/session";
import type { Cache } from "../../ports/cache";

/** What the cache holds about a session: enough to refuse a revoked or expired one, nothing secret. */
export interface SessionState {
  userId: string;
  tenantId: string;
  expiresAt: number;
  revoked: boolean;
}

export function sessionStateOf(session: Session): SessionState {
  return {
    userId: session.userId,
    tenantId: session.tenantId,
    expiresAt: session.expiresAt.getTime(),
    revoked: session.revokedAt !== null,
  };
}

/**
 * Tells the cache that sessions are revoked. It writes the revoked state rather than deleting the key:
 * a request that read the session just before the revocation committed then cannot put "live" back
 * (fills only add), and revocation is final, so the written state never goes stale.
 */
export async function publishRevocations(cache: Cache, sessions: Session[], ttlSeconds: number) {
  await Promise.all(
    sessions.map(async (session) => {
      const key = cacheKeys.session(session.id);
      if (await cache.set(key, sessionStateOf(session), ttlSeconds)) return;
      // The write failed: at least do not leave a cached "live" state behind; the database decides.
      await cache.delete(key);
    }),
  );
}
