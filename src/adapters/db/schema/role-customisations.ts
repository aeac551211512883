import { sql } from "drizzle-orm";
import { check, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { updatedAt } from "./columns";
import { tenantId } from "./tenants";

/**
 * The roles a tenant has customised. A role without a row here holds the catalog's defaults; a role
 * with one holds exactly its rows in role_permissions, which may be none.
 */
export const roleCustomisations = pgTable(
  "role_customisations",
  {
    tenantId: tenantId(),
    role: text("role", { enum: ["guest", "member", "admin", "super_admin"] }).notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: "role_customisations_pkey", columns: [t.tenantId, t.role] }),
    check("role_customisations_role_check", sql`${t.role} in ('guest', 'member', 'admin', 'super_admin')`),
  ],
);
