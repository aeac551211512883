/**
 * Cache keys shared by every writer and reader (API and CLI alike), so an invalidation by one is
 * seen by all.
 */
export const cacheKeys = {
  tenantBySlug: (slug: string) => `tenant:slug:${slug}`,
  tenantById: (id: string) => `tenant:id:${id}`,
  session: (id: string) => `session:${id}`,
  /** A user's profile (never their password hash), for GET /users/me. */
  user: (id: string) => `user:${id}`,
  rolePermissions: (tenantId: string) => `role-permissions:${tenantId}`,
  /** An API key's state, by the SHA-256 of its secret (the hash, never the secret). */
  apiKey: (secretHash: string) => `api-key:${secretHash}`,
  /** Present while a key's last use is recent enough not to be written again. */
  apiKeyUsed: (id: string) => `api-key-used:${id}`,
  /** The tenant's endpoints that receive events (ids and event patterns), for the webhook outbox. */
  webhookSubscribers: (tenantId: string) => `webhook-subscribers:${tenantId}`,
  /** The flag definitions of a tenant, or the platform-wide ones (null). */
  flagDefinitions: (tenantId: string | null) => `flags:${tenantId ?? "platform"}`,
} as const;
