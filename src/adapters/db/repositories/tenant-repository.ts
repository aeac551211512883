import { eq } from "drizzle-orm";
import { ConflictError } from "../../../core/domain/errors";
import type { Tenant } from "../../../core/domain/tenant";
import type { NewTenant, TenantRepository } from "../../../core/ports/repositories";
import type { Database } from "../database";
import { withConflicts } from "../db-errors";
import { tenants } from "../schema";

type Row = typeof tenants.$inferSelect;

const toTenant = (row: Row): Tenant => ({ ...row });

export function tenantRepository(db: Database): TenantRepository {
  return {
    async findById(id) {
      const [row] = await db.select().from(tenants).where(eq(tenants.id, id));
      return row ? toTenant(row) : null;
    },
    async findBySlug(slug) {
      const [row] = await db.select().from(tenants).where(eq(tenants.slug, slug));
      return row ? toTenant(row) : null;
    },
    async create(tenant: NewTenant) {
      const [row] = await withConflicts(() => db.insert(tenants).values(tenant).returning(), {
        tenants_slug_key: () => new ConflictError("SLUG_TAKEN", `The slug "${tenant.slug}" is taken.`),
      });
      return toTenant(row!);
    },
  };
}
