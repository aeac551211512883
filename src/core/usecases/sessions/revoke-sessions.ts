import { type Acting, type Principal, successEvent } from "../../domain/acting";
import { scopeOf, tenantScope } from "../../domain/data-scope";
import { NotFoundError } from "../../domain/errors";
import type { RevocationReason, Session } from "../../domain/session";
import type { Cache } from "../../ports/cache";
import type { Clock } from "../../ports/clock";
import type { UnitOfWork } from "../../ports/repositories";
import type { Authorize } from "../auth/authorize";
import { publishRevocations } from "../auth/session-state";
import { targetUser } from "../users/target-user";

export interface RevokeSessionsDeps {
  /** Called outside the transactions: it reads through the cache and may need the database. */
  authorize: Authorize;
  uow: UnitOfWork;
  cache: Cache;
  clock: Clock;
  sessionCacheTtlSeconds: number;
}

/** Recorded in the tenant whose sessions ended (the principal's own, for a logout). */
function revocationEvent(acting: Acting, tenantId: string, ended: Session[], reason: RevocationReason) {
  return successEvent(
    acting,
    reason === "logout" ? "auth.logout" : "session.revoked",
    ended.length === 1
      ? { type: "session", id: ended[0]!.id }
      : { type: "user", id: ended[0]?.userId ?? null },
    { reason, sessionIds: ended.map((s) => s.id) },
    tenantId,
  );
}

/** Logout, and ending one or all of a user's sessions. Each revocation is audited in its transaction. */
export function makeRevokeSessions(deps: RevokeSessionsDeps) {
  const { uow, cache, clock, sessionCacheTtlSeconds } = deps;
  const reasonFor = (actor: Principal, userId: string): RevocationReason =>
    actor.userId === userId ? "revoked_by_user" : "revoked_by_admin";

  return {
    /** Ends the principal's own current session. */
    async logout(acting: Acting): Promise<void> {
      const { principal } = acting;
      // The principal's own session and its audit event are in their home tenant, whichever
      // tenant they act on (a platform admin may act on another): that tenant's scope.
      const ended = await uow.transaction(tenantScope(principal.tenantId), async (repos) => {
        const session = await repos.sessions.revoke(
          { tenantId: principal.tenantId, userId: principal.userId, id: principal.sessionId },
          "logout",
          clock.now(),
        );
        if (session)
          await repos.audit.append(
            revocationEvent(acting, principal.tenantId, [session], "logout"),
            acting.origin,
          );
        return session;
      });
      if (ended) await publishRevocations(cache, [ended], sessionCacheTtlSeconds);
    },

    async revokeOne(acting: Acting, { userId, sessionId }: { userId: string; sessionId: string }) {
      const reason = reasonFor(acting.principal, userId);
      const owner = await targetUser(uow, deps.authorize, acting, userId, "sessions:revoke");
      const ended = await uow.transaction(scopeOf(acting), async (repos) => {
        const session = await repos.sessions.revoke(
          { tenantId: acting.tenant.id, userId: owner.id, id: sessionId },
          reason,
          clock.now(),
        );
        if (!session)
          throw new NotFoundError("SESSION_NOT_FOUND", "The user has no live session with this id.");
        await repos.audit.append(revocationEvent(acting, acting.tenant.id, [session], reason), acting.origin);
        return session;
      });
      await publishRevocations(cache, [ended], sessionCacheTtlSeconds);
    },

    /** Ends every live session of the user, the caller's own included. Returns how many ended. */
    async revokeAll(acting: Acting, userId: string): Promise<number> {
      const reason = reasonFor(acting.principal, userId);
      const owner = await targetUser(uow, deps.authorize, acting, userId, "sessions:revoke");
      const ended = await uow.transaction(scopeOf(acting), async (repos) => {
        const sessions = await repos.sessions.revokeAllOfUser(
          { tenantId: acting.tenant.id, userId: owner.id },
          reason,
          clock.now(),
        );
        if (sessions.length > 0)
          await repos.audit.append(
            revocationEvent(acting, acting.tenant.id, sessions, reason),
            acting.origin,
          );
        return sessions;
      });
      await publishRevocations(cache, ended, sessionCacheTtlSeconds);
      return ended.length;
    },
  };
}

export type RevokeSessions = ReturnType<typeof makeRevokeSessions>;
