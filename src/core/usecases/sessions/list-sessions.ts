import type { Acting } from "../../domain/acting";
import type { Clock } from "../../ports/clock";
import type { SessionRepository, UserRepository } from "../../ports/repositories";
import type { Authorize } from "../auth/authorize";
import { targetUser } from "../users/target-user";

const MAX_LISTED = 100;

export interface SessionView {
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
  /** The sign-in passed a second factor. */
  mfa: boolean;
  current: boolean;
}

/** A user's live sessions, the caller's own marked. Never a token or a hash. */
export function makeListSessions(deps: {
  users: UserRepository;
  sessions: SessionRepository;
  clock: Clock;
  authorize: Authorize;
}) {
  return async function listSessions(acting: Acting, userId: string): Promise<SessionView[]> {
    const owner = await targetUser(deps.users, deps.authorize, acting, userId, "sessions:read");
    const sessions = await deps.sessions.listLive(acting.tenant.id, owner.id, deps.clock.now(), MAX_LISTED);
    return sessions.map(({ id, createdAt, lastUsedAt, expiresAt, ip, userAgent, mfa }) => ({
      id,
      createdAt,
      lastUsedAt,
      expiresAt,
      ip,
      userAgent,
      mfa: mfa === true,
      current: id === acting.principal.sessionId,
    }));
  };
}
