import type { ApiKey } from "../core/domain/api-key";

export function presentApiKey(key: ApiKey) {
  return {
    id: key.id,
    name: key.name,
    kind: key.kind,
    prefix: key.prefix,
    permissions: key.permissions,
    allowedOrigins: key.allowedOrigins,
    createdBy: key.createdBy,
    createdAt: key.createdAt.toISOString(),
    expiresAt: key.expiresAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  };
}
