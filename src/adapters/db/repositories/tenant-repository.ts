import { and, asc, eq, gt } from "drizzle-orm";
import { ConflictError } from "../../../core/domain/errors";
import type { Tenant } from "../../../core/domain/tenant";
import type { NewTenant, TenantRepository } from "../../../core/ports/repositories";
import type { Database } from "../database";
import { withConflicts } from "../db-errors";
import { tenants } from "../schema";

type Row = typeof tenants.$inferSelect;

const toTenant = (row: Row): Tenant => ({ ...row });

const domainTaken = () => new ConflictError("DOMAIN_TAKEN", "Another tenant has this domain.");

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
        tenants_domain_key: domainTaken,
      });
      return toTenant(row!);
    },
    async list(filter, page) {
      const rows = await db
        .select()
        .from(tenants)
        .where(
          and(
            filter.status ? eq(tenants.status, filter.status) : undefined,
            page.after ? gt(tenants.id, page.after) : undefined,
          ),
        )
        .orderBy(asc(tenants.id))
        .limit(page.limit + 1);
      return rows.map(toTenant);
    },
    async update(id, patch, at) {
      const [row] = await withConflicts(
        () =>
          db
            .update(tenants)
            .set({ ...patch, updatedAt: at })
            .where(eq(tenants.id, id))
            .returning(),
        { tenants_domain_key: domainTaken },
      );
      return row ? toTenant(row) : null;
    },
    async setStatus(id, status, at) {
      const [row] = await db
        .update(tenants)
        .set({ status, updatedAt: at })
        .where(eq(tenants.id, id))
        .returning();
      return row ? toTenant(row) : null;
    },
  };
}
