import { sql } from "drizzle-orm";
import { check, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";
import { tenantId } from "./tenants";

/**
 * A tenant's grants per built-in role. A tenant with no rows for a role uses the catalog's defaults
 * (src/core/domain/permissions.ts); rows replace them once the tenant customises that role.
 */
export const rolePermissions = pgTable(
  "role_permissions",
  {
    tenantId: tenantId(),
    role: text("role", { enum: ["guest", "member", "admin", "super_admin"] }).notNull(),
    permission: text("permission").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "role_permissions_pkey", columns: [t.tenantId, t.role, t.permission] }),
    check("role_permissions_role_check", sql`${t.role} in ('guest', 'member', 'admin', 'super_admin')`),
  ],
);
