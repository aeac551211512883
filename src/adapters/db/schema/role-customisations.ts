import { check, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { ROLES } from "../../../core/domain/roles";
import { oneOf, updatedAt } from "./columns";
import { tenantId } from "./tenants";

/**
 * The roles a tenant has customised. A role without a row here holds the catalog's defaults; a role
 * with one holds exactly its rows in role_permissions, which may be none.
 */
export const roleCustomisations = pgTable(
  "role_customisations",
  {
    tenantId: tenantId(),
    role: text("role", { enum: ROLES }).notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: "role_customisations_pkey", columns: [t.tenantId, t.role] }),
    check("role_customisations_role_check", oneOf(t.role, ROLES)),
  ],
);
