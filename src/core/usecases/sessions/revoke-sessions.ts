import { actorOf, type Principal } from "../../domain/acting";
import type { RequestOrigin } from "../../domain/audit";
import { NotFoundError } from "../../domain/errors";
import type { RevocationReason, Session } from "../../domain/session";
import type { Cache } from "../../ports/cache";
import type { Clock } from "../../ports/clock";
import type { Repositories, UnitOfWork, UserRepository } from "../../ports/repositories";
import type { Authorize } from "../auth/authorize";
import { publishRevocations } from "../auth/session-state";
import type { UserActing } from "../users/manage-users";
import { targetUser } from "../users/target-user";

export interface RevokeSessionsDeps {
  authorize: Authorize;
  /** Outside transactions: permission checks read through the cache and may need the database. */
  users: UserRepository;
  uow: UnitOfWork;
  cache: Cache;
  clock: Clock;
  sessionCacheTtlSeconds: number;
}

/** Logout, and ending one or all of a user's sessions. Each revocation is audited in its transaction. */
export function makeRevokeSessions(deps: RevokeSessionsDeps) {
  const { uow, cache, clock, sessionCacheTtlSeconds } = deps;
  /** Recorded in the tenant whose sessions ended (the actor's own, for a logout). */
  async function audit(
    repos: Repositories,
    actor: Principal,
    tenantId: string,
    ended: Session[],
    action: string,
    reason: RevocationReason,
    origin: RequestOrigin,
  ) {
    await repos.audit.append(
      {
        tenantId,
        actor: actorOf(actor),
        action,
        resource:
          ended.length === 1
            ? { type: "session", id: ended[0]!.id }
            : { type: "user", id: ended[0]?.userId ?? null },
        outcome: "success",
        metadata: { reason, sessionIds: ended.map((s) => s.id) },
      },
      origin,
    );
  }

  const reasonFor = (actor: Principal, userId: string): RevocationReason =>
    actor.userId === userId ? "revoked_by_user" : "revoked_by_admin";

  return {
    /** Ends the caller's own current session. */
    async logout(actor: Principal, origin: RequestOrigin): Promise<void> {
      const ended = await uow.transaction(async (repos) => {
        const session = await repos.sessions.revoke(
          { tenantId: actor.tenantId, userId: actor.userId, id: actor.sessionId },
          "logout",
          clock.now(),
        );
        if (session) await audit(repos, actor, actor.tenantId, [session], "auth.logout", "logout", origin);
        return session;
      });
      if (ended) await publishRevocations(cache, [ended], sessionCacheTtlSeconds);
    },

    async revokeOne(
      { actor, home, tenant }: UserActing,
      userId: string,
      sessionId: string,
      origin: RequestOrigin,
    ) {
      const reason = reasonFor(actor, userId);
      const owner = await targetUser(
        deps.users,
        deps.authorize,
        actor,
        tenant,
        userId,
        "sessions:revoke",
        home,
      );
      const ended = await uow.transaction(async (repos) => {
        const session = await repos.sessions.revoke(
          { tenantId: tenant.id, userId: owner.id, id: sessionId },
          reason,
          clock.now(),
        );
        if (!session)
          throw new NotFoundError("SESSION_NOT_FOUND", "The user has no live session with this id.");
        await audit(repos, actor, tenant.id, [session], "session.revoked", reason, origin);
        return session;
      });
      await publishRevocations(cache, [ended], sessionCacheTtlSeconds);
    },

    /** Ends every live session of the user, the caller's own included. Returns how many ended. */
    async revokeAll(
      { actor, home, tenant }: UserActing,
      userId: string,
      origin: RequestOrigin,
    ): Promise<number> {
      const reason = reasonFor(actor, userId);
      const owner = await targetUser(
        deps.users,
        deps.authorize,
        actor,
        tenant,
        userId,
        "sessions:revoke",
        home,
      );
      const ended = await uow.transaction(async (repos) => {
        const sessions = await repos.sessions.revokeAllOfUser(
          { tenantId: tenant.id, userId: owner.id },
          reason,
          clock.now(),
        );
        if (sessions.length > 0)
          await audit(repos, actor, tenant.id, sessions, "session.revoked", reason, origin);
        return sessions;
      });
      await publishRevocations(cache, ended, sessionCacheTtlSeconds);
      return ended.length;
    },
  };
}

export type RevokeSessions = ReturnType<typeof makeRevokeSessions>;
