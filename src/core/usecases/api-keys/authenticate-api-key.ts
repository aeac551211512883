import { actorOf, type Principal, type TenantRef } from "../../domain/acting";
import { apiKeyKindOf } from "../../domain/api-key";
import type { RequestOrigin } from "../../domain/audit";
import { cacheKeys } from "../../domain/cache-keys";
import { secretScope } from "../../domain/data-scope";
import { RateLimitedError, UnauthorizedError } from "../../domain/errors";
import type { Permission } from "../../domain/permissions";
import { hashSecretToken } from "../../domain/secret-token";
import type { Cache } from "../../ports/cache";
import type { Clock } from "../../ports/clock";
import type { RateLimiter, RateLimitRule } from "../../ports/rate-limiter";
import type { UnitOfWork } from "../../ports/repositories";
import type { RecordRateLimitTrip } from "../audit/record-rate-limit-trip";
import { makeCacheAside } from "../cache/cache-aside";
import type { TenantResolver } from "../tenants/resolve-tenant";
import type { UserCache } from "../users/user-cache";
import { type ApiKeyState, apiKeyStateOf } from "./api-key-state";
import { ceilingRole } from "./key-ceiling";
import type { NoteApiKeyUse } from "./last-used";

export interface AuthenticateApiKeyDeps {
  /** Only on a cache miss: the key is looked up by its hash, in the tenant that owns it. */
  uow: Pick<UnitOfWork, "transaction">;
  tenants: Pick<TenantResolver, "activeById">;
  userCache: Pick<UserCache, "find">;
  cache: Cache;
  clock: Clock;
  rateLimiter: Pick<RateLimiter, "hit">;
  recordTrip: RecordRateLimitTrip;
  /**
   * Counts a lookup of a key no cache holds against the caller's address, and refuses past the
   * limit: a live key is read from the database once per cache lifetime, a guessed one every time.
   */
  guardLookup: (origin: RequestOrigin) => Promise<void>;
  /** Requests per key (api and client keys; a frontend key is shared by every browser of an app). */
  rateLimit: RateLimitRule;
  noteUse: NoteApiKeyUse;
  ttlSeconds: number;
}

export interface AuthenticatedApiKey {
  principal: Principal;
  key: ApiKeyState;
  tenant: TenantRef;
}

/** How many secrets' hashes are remembered; past it the memory starts over. */
const HASHES_KEPT = 10_000;

export const invalidApiKey = () =>
  new UnauthorizedError("INVALID_API_KEY", "The API key is missing, invalid, expired or revoked.");

/**
 * Turns a presented key secret into the key, its tenant and the principal it acts as. Unknown,
 * revoked and expired keys, keys of a tenant that is not active and keys whose creator is gone or
 * deactivated all get the same 401, so the answer tells nothing about which. Warm, it reads only
 * caches: the key's state by the hash of its secret, its tenant, its creator.
 */
export function makeAuthenticateApiKey(deps: AuthenticateApiKeyDeps) {
  const { uow, tenants, userCache, clock, rateLimiter, recordTrip, rateLimit, noteUse } = deps;
  const entries = makeCacheAside({ cache: deps.cache, ttlSeconds: deps.ttlSeconds });
  // A near cache hands out the same frozen state until the key changes: build its set once.
  const permissionSets = new WeakMap<readonly Permission[], ReadonlySet<Permission>>();
  // The hashes of secrets that named a key, so a client's next request skips the SHA-256 (as the
  // token signer keeps verified tokens). Only keys found are kept: guesses cannot fill it.
  let hashes = new Map<string, string>();

  function stateOf(secretHash: string, origin: RequestOrigin): Promise<ApiKeyState | null> {
    return entries.read(cacheKeys.apiKey(secretHash), async () => {
      await deps.guardLookup(origin);
      // Only the secret is known: the database finds its tenant from the hash and shows only that
      // tenant's rows (none for a guessed key, so the lookup answers null).
      const stored = await uow.transaction(secretScope("api_key", secretHash), (repos) =>
        repos.apiKeys.findByHash(secretHash),
      );
      return stored && apiKeyStateOf(stored.key);
    });
  }

  function permissionSet(permissions: readonly Permission[]): ReadonlySet<Permission> {
    let set = permissionSets.get(permissions);
    if (!set) {
      set = new Set(permissions);
      permissionSets.set(permissions, set);
    }
    return set;
  }

  async function activeTenant(id: string): Promise<TenantRef> {
    try {
      return await tenants.activeById(id);
    } catch {
      throw invalidApiKey();
    }
  }

  /** Counts the request against the key's limit; past it, records the trip and refuses. */
  async function withinLimit(principal: Principal, origin: RequestOrigin): Promise<void> {
    const limitKey = `api-key:${principal.apiKey!.id}`;
    const decision = await rateLimiter.hit(limitKey, rateLimit);
    if (decision.allowed) return;
    await recordTrip(
      {
        endpoint: "api_key",
        scope: "caller",
        limitKey,
        tenantId: principal.tenantId,
        actor: actorOf(principal),
      },
      origin,
    );
    throw new RateLimitedError(
      "RATE_LIMITED",
      "This API key has made too many requests; try again later.",
      decision.retryAfterSeconds,
      {
        endpoint: "api_key",
        scope: "caller",
        limit: decision.limit,
        remaining: decision.remaining,
        resetSeconds: decision.resetSeconds,
      },
    );
  }

  /** The key a secret names, with its kind as the secret's shape tells it; null for no key. */
  async function keyOf(secret: string, origin: RequestOrigin): Promise<ApiKeyState | null> {
    const known = hashes.get(secret);
    if (known) return stateOf(known, origin);
    const kind = apiKeyKindOf(secret);
    if (!kind) return null;
    const secretHash = hashSecretToken(secret);
    const key = await stateOf(secretHash, origin);
    if (!key || key.kind !== kind) return null;
    if (hashes.size >= HASHES_KEPT) hashes = new Map();
    hashes.set(secret, secretHash);
    return key;
  }

  return async function authenticateApiKey(
    secret: string,
    origin: RequestOrigin,
  ): Promise<AuthenticatedApiKey> {
    const key = await keyOf(secret, origin);
    const at = clock.now();
    const now = at.getTime();
    if (!key || key.revoked || (key.expiresAt !== null && key.expiresAt <= now)) throw invalidApiKey();
    const tenant = await activeTenant(key.tenantId);
    const creator =
      key.createdBy.type === "user" ? await userCache.find(key.tenantId, key.createdBy.id) : null;
    if (key.createdBy.type === "user" && !creator?.isActive) throw invalidApiKey();

    const principal: Principal = {
      userId: key.createdBy.id,
      tenantId: key.tenantId,
      sessionId: "",
      role: ceilingRole({ kind: key.createdBy.type, role: creator?.role ?? "guest" }, tenant),
      kind: "api_key",
      apiKey: { id: key.id, kind: key.kind, prefix: key.prefix, permissions: permissionSet(key.permissions) },
    };
    if (key.kind !== "frontend") await withinLimit(principal, origin);
    const noting = noteUse(key, at);
    if (noting) await noting;
    return { principal, key, tenant };
  };
}

export type AuthenticateApiKey = ReturnType<typeof makeAuthenticateApiKey>;
