import type { ApiKey, ApiKeyCreator, ApiKeyKind } from "../domain/api-key";
import type { PageRequest } from "../domain/pagination";
import type { Permission } from "../domain/permissions";

export interface NewApiKey {
  id: string;
  tenantId: string;
  kind: ApiKeyKind;
  name: string;
  secretHash: string;
  prefix: string;
  permissions: Permission[];
  allowedOrigins: string[];
  createdBy: ApiKeyCreator;
  createdAt: Date;
  expiresAt: Date | null;
}

/** A key and the hash of its secret: what authentication looks a presented secret up by. */
export interface StoredApiKey {
  key: ApiKey;
  secretHash: string;
}

/** Every method but `findByHash` is scoped by tenant: another tenant's key does not exist for it. */
export interface ApiKeyRepository {
  create(key: NewApiKey): Promise<ApiKey>;
  /** The key whose secret hashes to `secretHash`, revoked or expired ones included. */
  findByHash(secretHash: string): Promise<StoredApiKey | null>;
  /** Up to `page.limit + 1` unrevoked keys of the tenant in id order after `page.after`. */
  list(tenantId: string, page: PageRequest): Promise<ApiKey[]>;
  /** Revokes an unrevoked key; null when the tenant has no such key, or it is already revoked. */
  revoke(tenantId: string, id: string, at: Date): Promise<StoredApiKey | null>;
  touchLastUsed(id: string, at: Date): Promise<void>;
}
