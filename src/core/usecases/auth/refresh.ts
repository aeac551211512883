import type { RequestOrigin } from "../../domain/audit";
import { secretScope } from "../../domain/data-scope";
import { ForbiddenError, TenantInactiveError, UnauthorizedError } from "../../domain/errors";
import { hashSecretToken } from "../../domain/secret-token";
import type { RevocationReason, Session } from "../../domain/session";
import type { Cache } from "../../ports/cache";
import type { Clock } from "../../ports/clock";
import type { Repositories, UnitOfWork } from "../../ports/repositories";
import { publishRevocations } from "./session-state";
import type { TokenIssuer, TokenPair } from "./token-issuer";

export interface RefreshDeps {
  uow: UnitOfWork;
  issuer: TokenIssuer;
  cache: Cache;
  clock: Clock;
  idleTimeoutSeconds: number;
  reuseGraceSeconds: number;
  sessionCacheTtlSeconds: number;
}

export interface RefreshInput {
  refreshToken: string;
  /** The tenant the request names (host or header), if any: it must be the session's. */
  tenantId: string | null;
}

type Outcome =
  | { kind: "rotated"; pair: TokenPair }
  | {
      kind: "refused";
      code: "INVALID_REFRESH_TOKEN" | "REFRESH_TOKEN_EXPIRED" | "REFRESH_TOKEN_REUSED";
      ended?: Session;
    };

const MESSAGES = {
  INVALID_REFRESH_TOKEN: "The refresh token is not valid.",
  REFRESH_TOKEN_EXPIRED: "The session has expired; log in again.",
  REFRESH_TOKEN_REUSED: "The refresh token was already used; the session has been ended. Log in again.",
} as const;

/**
 * Rotates a refresh token: the presented token is retired and a new pair issued for the same session.
 * A retired token presented again within the grace window (tabs refreshing at once) gets the same
 * successor again, so a session never has two live chains; after the window, the reuse means the
 * token leaked, and the whole session is revoked.
 */
export function makeRefresh(deps: RefreshDeps) {
  const { uow, issuer, cache, clock } = deps;

  async function end(repos: Repositories, session: Session, reason: RevocationReason, now: Date) {
    return repos.sessions.revoke(
      { tenantId: session.tenantId, userId: session.userId, id: session.id },
      reason,
      now,
    );
  }

  async function rotate(
    repos: Repositories,
    input: RefreshInput,
    tokenHash: string,
    origin: RequestOrigin,
  ): Promise<Outcome> {
    const now = clock.now();
    const found = await repos.refreshTokens.findForRotation(tokenHash);
    if (!found || found.session.revokedAt) return { kind: "refused", code: "INVALID_REFRESH_TOKEN" };
    const { token, session } = found;
    if (input.tenantId && input.tenantId !== session.tenantId) {
      throw new ForbiddenError(
        "TENANT_MISMATCH",
        "The token belongs to another tenant than the one requested.",
      );
    }
    if (session.expiresAt <= now || token.expiresAt <= now)
      return { kind: "refused", code: "REFRESH_TOKEN_EXPIRED" };
    if (now.getTime() - session.lastUsedAt.getTime() >= deps.idleTimeoutSeconds * 1000) {
      const ended = await end(repos, session, "idle_timeout", now);
      return { kind: "refused", code: "REFRESH_TOKEN_EXPIRED", ended: ended ?? undefined };
    }

    if (token.retiredAt && now.getTime() - token.retiredAt.getTime() > deps.reuseGraceSeconds * 1000) {
      const ended = await end(repos, session, "refresh_token_reused", now);
      await repos.audit.append(
        {
          tenantId: session.tenantId,
          actor: { type: "user", id: session.userId, display: null },
          action: "auth.refresh.reused",
          resource: { type: "session", id: session.id },
          outcome: "denied",
          metadata: { retiredAt: token.retiredAt.toISOString() },
        },
        origin,
      );
      return { kind: "refused", code: "REFRESH_TOKEN_REUSED", ended: ended ?? undefined };
    }

    // The tenant and the user came with the token (one round trip); the rotation is one statement.
    const { tenantStatus, user } = found;
    if (tenantStatus !== "active") throw new TenantInactiveError(tenantStatus ?? "unknown");
    if (!user?.isActive) {
      const ended = await end(repos, session, "user_inactive", now);
      return { kind: "refused", code: "INVALID_REFRESH_TOKEN", ended: ended ?? undefined };
    }

    const successor = issuer.successorOf(input.refreshToken);
    if (token.retiredAt) {
      // Within the grace window: the same successor the first rotation issued, not a second chain.
      if (!token.replacedBy) return { kind: "refused", code: "INVALID_REFRESH_TOKEN" };
      return { kind: "rotated", pair: issuer.pair(user, session.id, now, successor) };
    }
    const next = issuer.refreshToken(session, now, session.expiresAt, successor);
    await repos.refreshTokens.rotate(token.id, next.record, now);
    return { kind: "rotated", pair: issuer.pair(user, session.id, now, next.raw) };
  }

  return async function refresh(input: RefreshInput, origin: RequestOrigin): Promise<TokenPair> {
    // Only the token is known: the database finds its tenant from the hash, and the transaction
    // sees that tenant's rows alone (none for an unknown token: the invalid-token answer).
    const tokenHash = hashSecretToken(input.refreshToken);
    const outcome = await uow.transaction(secretScope("refresh_token", tokenHash), (repos) =>
      rotate(repos, input, tokenHash, origin),
    );
    if (outcome.kind === "rotated") return outcome.pair;
    if (outcome.ended) await publishRevocations(cache, [outcome.ended], deps.sessionCacheTtlSeconds);
    throw new UnauthorizedError(outcome.code, MESSAGES[outcome.code]);
  };
}
