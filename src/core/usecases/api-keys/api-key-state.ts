import type { ApiKey, ApiKeyCreator, ApiKeyKind } from "../../domain/api-key";
import { cacheKeys } from "../../domain/cache-keys";
import type { Permission } from "../../domain/permissions";
import type { Cache } from "../../ports/cache";
import { makeCacheAside } from "../cache/cache-aside";

/** What the cache holds about a key, by the hash of its secret: enough to authenticate it, nothing secret. */
export interface ApiKeyState {
  id: string;
  tenantId: string;
  kind: ApiKeyKind;
  prefix: string;
  permissions: Permission[];
  allowedOrigins: string[];
  createdBy: ApiKeyCreator;
  expiresAt: number | null;
  revoked: boolean;
}

export function apiKeyStateOf(key: ApiKey): ApiKeyState {
  return {
    id: key.id,
    tenantId: key.tenantId,
    kind: key.kind,
    prefix: key.prefix,
    permissions: key.permissions,
    allowedOrigins: key.allowedOrigins,
    createdBy: key.createdBy,
    expiresAt: key.expiresAt?.getTime() ?? null,
    revoked: key.revokedAt !== null,
  };
}

/**
 * Publishes a key's revoked state after the revocation commits: every instance's near copy is
 * dropped and the next request with the key is refused. Revocation is final, so it never goes stale.
 */
export async function publishApiKeyRevocation(
  cache: Cache,
  revoked: { key: ApiKey; secretHash: string },
  ttlSeconds: number,
): Promise<void> {
  await makeCacheAside({ cache, ttlSeconds }).publish(
    cacheKeys.apiKey(revoked.secretHash),
    apiKeyStateOf(revoked.key),
  );
}
