import { and, asc, eq, gt, isNull } from "drizzle-orm";
import type { ApiKey } from "../../../core/domain/api-key";
import type { Permission } from "../../../core/domain/permissions";
import type { ApiKeyRepository, StoredApiKey } from "../../../core/ports/api-key-repository";
import type { Database } from "../database";
import { apiKeys } from "../schema";

type Row = typeof apiKeys.$inferSelect;

function toApiKey({ secretHash: _hash, createdByType, createdById, permissions, ...row }: Row): ApiKey {
  return {
    ...row,
    permissions: permissions as Permission[],
    createdBy: { type: createdByType, id: createdById },
  };
}

const toStored = (row: Row): StoredApiKey => ({ key: toApiKey(row), secretHash: row.secretHash });

export function apiKeyRepository(db: Database): ApiKeyRepository {
  return {
    async create({ createdBy, ...key }) {
      const [row] = await db
        .insert(apiKeys)
        .values({ ...key, createdByType: createdBy.type, createdById: createdBy.id })
        .returning();
      return toApiKey(row!);
    },
    async findByHash(secretHash) {
      const [row] = await db.select().from(apiKeys).where(eq(apiKeys.secretHash, secretHash));
      return row ? toStored(row) : null;
    },
    async list(tenantId, page) {
      const rows = await db
        .select()
        .from(apiKeys)
        .where(
          and(
            eq(apiKeys.tenantId, tenantId),
            isNull(apiKeys.revokedAt),
            page.after ? gt(apiKeys.id, page.after) : undefined,
          ),
        )
        .orderBy(asc(apiKeys.id))
        .limit(page.limit + 1);
      return rows.map(toApiKey);
    },
    async revoke(tenantId, id, at) {
      const [row] = await db
        .update(apiKeys)
        .set({ revokedAt: at })
        .where(and(eq(apiKeys.id, id), eq(apiKeys.tenantId, tenantId), isNull(apiKeys.revokedAt)))
        .returning();
      return row ? toStored(row) : null;
    },
    async touchLastUsed(id, at) {
      await db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id));
    },
  };
}
