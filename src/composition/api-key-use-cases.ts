import type { Config } from "../config";
import { makeAuthenticateApiKey } from "../core/usecases/api-keys/authenticate-api-key";
import { makeCreateApiKey } from "../core/usecases/api-keys/create-api-key";
import { makeLastUsed } from "../core/usecases/api-keys/last-used";
import { makeListApiKeys } from "../core/usecases/api-keys/list-api-keys";
import { makeRevokeApiKey } from "../core/usecases/api-keys/revoke-api-key";
import type { RecordRateLimitTrip } from "../core/usecases/audit/record-rate-limit-trip";
import { makeAbuseGuard } from "../core/usecases/auth/abuse-guard";
import type { Authorize } from "../core/usecases/auth/authorize";
import type { EffectivePermissions } from "../core/usecases/roles/effective-permissions";
import type { TenantResolver } from "../core/usecases/tenants/resolve-tenant";
import type { UserCache } from "../core/usecases/users/user-cache";
import type { CoreAdapters } from "./core-adapters";
import type { EphemeralStore } from "./ephemeral-store";

/** A key's last use is written at most this often. */
const LAST_USED_INTERVAL_SECONDS = 60;

export interface ApiKeyCollaborators {
  authorize: Authorize;
  permissions: EffectivePermissions;
  tenants: TenantResolver;
  userCache: UserCache;
  recordTrip: RecordRateLimitTrip;
}

/** The API key use cases. Key state is cached as long as session state, and revoked the same way. */
export function wireApiKeys(
  config: Config,
  store: Pick<EphemeralStore, "rateLimiter" | "requestRateLimiter">,
  { uow, cache, clock, ids }: CoreAdapters,
  { authorize, permissions, tenants, userCache, recordTrip }: ApiKeyCollaborators,
) {
  const ttlSeconds = config.cache.sessionTtlSeconds;
  const lookupGuard = makeAbuseGuard({
    rateLimiter: store.rateLimiter,
    recordTrip,
    perIp: config.abuse.perIp,
    perAccount: config.abuse.perAccount,
  });
  return {
    createApiKey: makeCreateApiKey({ authorize, permissions, uow, clock, ids }),
    listApiKeys: makeListApiKeys({ authorize, uow }),
    revokeApiKey: makeRevokeApiKey({ authorize, uow, cache, clock, apiKeyCacheTtlSeconds: ttlSeconds }),
    authenticateApiKey: makeAuthenticateApiKey({
      uow,
      tenants,
      userCache,
      cache,
      clock,
      rateLimiter: store.requestRateLimiter,
      recordTrip,
      guardLookup: (origin) => lookupGuard("api_key_lookup", { ip: origin.ip }, origin),
      rateLimit: config.abuse.perApiKey,
      noteUse: makeLastUsed({
        uow,
        cache,
        clock,
        intervalSeconds: LAST_USED_INTERVAL_SECONDS,
      }),
      ttlSeconds,
    }),
  };
}
