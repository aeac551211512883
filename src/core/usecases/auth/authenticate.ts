import type { Principal } from "../../domain/acting";
import { cacheKeys } from "../../domain/cache-keys";
import { UnauthorizedError } from "../../domain/errors";
import type { Cache } from "../../ports/cache";
import type { Clock } from "../../ports/clock";
import type { SessionRepository } from "../../ports/repositories";
import type { TokenSigner } from "../../ports/token-signer";
import { makeCacheAside } from "../cache/cache-aside";
import { type SessionState, sessionStateOf } from "./session-state";

export interface AuthenticateDeps {
  signer: TokenSigner;
  sessions: Pick<SessionRepository, "findById">;
  cache: Cache;
  clock: Clock;
  sessionCacheTtlSeconds: number;
}

const invalidToken = () =>
  new UnauthorizedError("INVALID_TOKEN", "The access token is missing, invalid or expired.");

/**
 * Turns a bearer token into a principal. The token must verify and its session must still be live, so
 * a revoked session stops working at once. Session state comes from the cache, else the database.
 */
export function makeAuthenticate({
  signer,
  sessions,
  cache,
  clock,
  sessionCacheTtlSeconds,
}: AuthenticateDeps) {
  const entries = makeCacheAside({ cache, ttlSeconds: sessionCacheTtlSeconds });

  function sessionState(id: string): Promise<SessionState | null> {
    return entries.read(cacheKeys.session(id), async () => {
      const session = await sessions.findById(id);
      return session && sessionStateOf(session);
    });
  }

  return async function authenticate(token: string): Promise<Principal> {
    const now = clock.now();
    const claims = signer.verify(token, now);
    if (!claims) throw invalidToken();
    const state = await sessionState(claims.sid);
    if (
      !state ||
      state.revoked ||
      state.expiresAt <= now.getTime() ||
      state.userId !== claims.sub ||
      state.tenantId !== claims.tid
    ) {
      throw invalidToken();
    }
    return { userId: claims.sub, tenantId: claims.tid, sessionId: claims.sid, role: claims.role };
  };
}

export type Authenticate = ReturnType<typeof makeAuthenticate>;
