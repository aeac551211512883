import type { Acting } from "../../domain/acting";
import { scopeOf } from "../../domain/data-scope";
import type { Clock } from "../../ports/clock";
import type { UnitOfWork } from "../../ports/repositories";
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
  uow: Pick<UnitOfWork, "transaction">;
  clock: Clock;
  authorize: Authorize;
}) {
  return async function listSessions(acting: Acting, userId: string): Promise<SessionView[]> {
    const owner = await targetUser(deps.uow, deps.authorize, acting, userId, "sessions:read");
    const sessions = await deps.uow.transaction(scopeOf(acting), (repos) =>
      repos.sessions.listLive(acting.tenant.id, owner.id, deps.clock.now(), MAX_LISTED),
    );
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
