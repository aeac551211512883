import type { Principal } from "../../domain/acting";
import { apiKeyKindOf } from "../../domain/api-key";
import type { RequestOrigin } from "../../domain/audit";
import { cacheKeys } from "../../domain/cache-keys";
import { tenantScope } from "../../domain/data-scope";
import { ForbiddenError, UnauthorizedError } from "../../domain/errors";
import type { Cache } from "../../ports/cache";
import type { Clock } from "../../ports/clock";
import type { UnitOfWork } from "../../ports/repositories";
import type { TokenSigner } from "../../ports/token-signer";
import type { AuthenticateApiKey } from "../api-keys/authenticate-api-key";
import { makeCacheAside } from "../cache/cache-aside";
import { type SessionState, sessionStateOf } from "./session-state";

export interface AuthenticateDeps {
  signer: TokenSigner;
  /** Only on a cache miss, in the tenant the verified claims name. */
  uow: Pick<UnitOfWork, "transaction">;
  cache: Cache;
  clock: Clock;
  sessionCacheTtlSeconds: number;
  /** Bearer tokens shaped as API keys (`sk_...`) go here; without it only access tokens pass. */
  apiKeys?: AuthenticateApiKey;
}

const invalidToken = () =>
  new UnauthorizedError("INVALID_TOKEN", "The access token is missing, invalid or expired.");

const UNKNOWN_ORIGIN: RequestOrigin = { ip: null, userAgent: null, requestId: null };

export const wrongKeyKind = () =>
  new ForbiddenError("API_KEY_KIND", "This kind of API key cannot call this API.");

/**
 * Turns a bearer token into a principal. An access token must verify and its session must still be
 * live, so a revoked session stops working at once; session state comes from the cache, else the
 * database. An API key must be a live `api` key (client and frontend keys are for the Unleash APIs:
 * 403 API_KEY_KIND here).
 */
export function makeAuthenticate({
  signer,
  uow,
  cache,
  clock,
  sessionCacheTtlSeconds,
  apiKeys,
}: AuthenticateDeps) {
  const entries = makeCacheAside({ cache, ttlSeconds: sessionCacheTtlSeconds });

  /**
   * The session's state, warm from the cache; on a miss, read in the tenant of the verified claims,
   * so the database shows no other tenant's session (one of another tenant is unknown: refused).
   */
  function sessionState(tenantId: string, id: string): Promise<SessionState | null> {
    return entries.read(cacheKeys.session(id), async () => {
      const session = await uow.transaction(tenantScope(tenantId), (repos) =>
        repos.sessions.findById(tenantId, id),
      );
      return session && sessionStateOf(session);
    });
  }

  /** `origin` is where the request came from: an API key's rate-limit trip is audited with it. */
  return async function authenticate(
    token: string,
    origin: RequestOrigin = UNKNOWN_ORIGIN,
  ): Promise<Principal> {
    if (apiKeys && apiKeyKindOf(token)) {
      const { principal, key } = await apiKeys(token, origin);
      if (key.kind !== "api") throw wrongKeyKind();
      return principal;
    }
    const now = clock.now();
    const claims = signer.verify(token, now);
    if (!claims) throw invalidToken();
    const state = await sessionState(claims.tid, claims.sid);
    if (
      !state ||
      state.revoked ||
      state.expiresAt <= now.getTime() ||
      state.userId !== claims.sub ||
      state.tenantId !== claims.tid
    ) {
      throw invalidToken();
    }
    const principal: Principal = {
      userId: claims.sub,
      tenantId: claims.tid,
      sessionId: claims.sid,
      role: claims.role,
    };
    if (state.mfaEnrollmentRequired) principal.mfaEnrollmentRequired = true;
    return principal;
  };
}

export type Authenticate = ReturnType<typeof makeAuthenticate>;
