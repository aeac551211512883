import { cacheKeys } from "../../domain/cache-keys";
import type { Session } from "../../domain/session";
import type { Cache } from "../../ports/cache";
import { makeCacheAside } from "../cache/cache-aside";

/** What the cache holds about a session: enough to refuse a revoked or expired one, nothing secret. */
export interface SessionState {
  userId: string;
  tenantId: string;
  expiresAt: number;
  revoked: boolean;
  /** The session may only enrol a second factor until one is confirmed. */
  mfaEnrollmentRequired?: boolean;
}

export function sessionStateOf(session: Session): SessionState {
  return {
    userId: session.userId,
    tenantId: session.tenantId,
    expiresAt: session.expiresAt.getTime(),
    revoked: session.revokedAt !== null,
    ...(session.mfaEnrollmentRequired ? { mfaEnrollmentRequired: true } : {}),
  };
}

/** Publishes sessions' revoked state after the revocation commits; revocation is final, so it never goes stale. */
export async function publishRevocations(cache: Cache, sessions: Session[], ttlSeconds: number) {
  const entries = makeCacheAside({ cache, ttlSeconds });
  await Promise.all(
    sessions.map((session) => entries.publish(cacheKeys.session(session.id), sessionStateOf(session))),
  );
}
