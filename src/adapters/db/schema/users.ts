import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, text, unique } from "drizzle-orm/pg-core";
import { ROLES } from "../../../core/domain/roles";
import { createdAt, id, oneOf, timestamptz, updatedAt } from "./columns";
import { tenantId } from "./tenants";

export const users = pgTable(
  "users",
  {
    id: id(),
    tenantId: tenantId(),
    email: text("email").notNull(),
    passwordHash: text("password_hash"),
    firstName: text("first_name"),
    lastName: text("last_name"),
    role: text("role", { enum: ROLES }).notNull().default("member"),
    isActive: boolean("is_active").notNull().default(true),
    emailVerifiedAt: timestamptz("email_verified_at"),
    lastLoginAt: timestamptz("last_login_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Also serves tenant-scoped email prefix search (emails are stored lower-cased).
    unique("users_tenant_email_key").on(t.tenantId, t.email),
    // Cursor pagination inside a tenant walks (tenant_id, id); ids are time-ordered.
    index("users_tenant_id_idx").on(t.tenantId, t.id),
    // The one lookup across tenants: where an address has accounts (sign-up, find your workspace).
    index("users_email_idx").on(t.email),
    check("users_role_check", oneOf(t.role, ROLES)),
    check("users_email_lowercase_check", sql`${t.email} = lower(${t.email})`),
  ],
);
