import { check, foreignKey, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { ROLES } from "../../../core/domain/roles";
import { createdAt, oneOf } from "./columns";
import { roleCustomisations } from "./role-customisations";
import { tenantId } from "./tenants";

/**
 * A tenant's own grants per customised role (see role_customisations); roles the tenant has not
 * customised use the catalog's defaults (src/core/domain/permissions.ts) and have no rows here.
 */
export const rolePermissions = pgTable(
  "role_permissions",
  {
    tenantId: tenantId(),
    role: text("role", { enum: ROLES }).notNull(),
    permission: text("permission").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "role_permissions_pkey", columns: [t.tenantId, t.role, t.permission] }),
    check("role_permissions_role_check", oneOf(t.role, ROLES)),
    foreignKey({
      name: "role_permissions_customisation_fk",
      columns: [t.tenantId, t.role],
      foreignColumns: [roleCustomisations.tenantId, roleCustomisations.role],
    }).onDelete("cascade"),
  ],
);
