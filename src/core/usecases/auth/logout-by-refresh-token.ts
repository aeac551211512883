import type { RequestOrigin } from "../../domain/audit";
import { secretScope } from "../../domain/data-scope";
import { hashSecretToken } from "../../domain/secret-token";
import type { Cache } from "../../ports/cache";
import type { Clock } from "../../ports/clock";
import type { UnitOfWork } from "../../ports/repositories";
import { publishRevocations } from "./session-state";

export interface LogoutByRefreshTokenDeps {
  uow: UnitOfWork;
  cache: Cache;
  clock: Clock;
  sessionCacheTtlSeconds: number;
}

/**
 * Ends the session a refresh token belongs to, for a browser whose access token is gone (a reload,
 * an expiry) but whose cookie still holds the refresh token. Any token of the session's chain ends
 * it, a retired one too: ending a session only ever takes access away. A token of no live session
 * ends nothing and is not an error, so logging out twice is harmless.
 */
export function makeLogoutByRefreshToken({
  uow,
  cache,
  clock,
  sessionCacheTtlSeconds,
}: LogoutByRefreshTokenDeps) {
  return async function logoutByRefreshToken(refreshToken: string, origin: RequestOrigin): Promise<void> {
    // Only the token is known: the transaction sees the rows of the tenant that owns it, or none.
    const tokenHash = hashSecretToken(refreshToken);
    const ended = await uow.transaction(secretScope("refresh_token", tokenHash), async (repos) => {
      const found = await repos.refreshTokens.findForRotation(tokenHash);
      if (!found || found.session.revokedAt) return null;
      const { session } = found;
      const revoked = await repos.sessions.revoke(
        { tenantId: session.tenantId, userId: session.userId, id: session.id },
        "logout",
        clock.now(),
      );
      if (!revoked) return null;
      await repos.audit.append(
        {
          tenantId: session.tenantId,
          actor: { type: "user", id: session.userId, display: null },
          action: "auth.logout",
          resource: { type: "session", id: session.id },
          outcome: "success",
          metadata: { reason: "logout", sessionIds: [session.id], by: "session_cookie" },
        },
        origin,
      );
      return revoked;
    });
    if (ended) await publishRevocations(cache, [ended], sessionCacheTtlSeconds);
  };
}

export type LogoutByRefreshToken = ReturnType<typeof makeLogoutByRefreshToken>;
