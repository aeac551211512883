import { sql } from "drizzle-orm";
import { check, index, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, timestamptz } from "./columns";
import { tenantId } from "./tenants";

/**
 * Keys machines call with, one tenant each. Only the SHA-256 of the secret is stored; `prefix` is
 * its kind prefix and first characters, for people to recognise a key in a list. The creator is an
 * actor (a user, or an operator at the CLI), not a foreign key: a user's key stops working when the
 * user is gone, and the row stays for the audit trail.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: id(),
    tenantId: tenantId(),
    kind: text("kind", { enum: ["api", "client", "frontend"] }).notNull(),
    name: text("name").notNull(),
    secretHash: text("secret_hash").notNull(),
    prefix: text("prefix").notNull(),
    permissions: jsonb("permissions").$type<string[]>().notNull().default([]),
    allowedOrigins: jsonb("allowed_origins").$type<string[]>().notNull().default([]),
    createdByType: text("created_by_type", { enum: ["user", "cli"] }).notNull(),
    createdById: text("created_by_id").notNull(),
    createdAt: createdAt(),
    expiresAt: timestamptz("expires_at"),
    lastUsedAt: timestamptz("last_used_at"),
    revokedAt: timestamptz("revoked_at"),
  },
  (t) => [
    uniqueIndex("api_keys_secret_hash_key").on(t.secretHash),
    // Listing a tenant's keys walks (tenant_id, id); ids are time-ordered.
    index("api_keys_tenant_id_idx").on(t.tenantId, t.id),
    check("api_keys_kind_check", sql`${t.kind} in ('api', 'client', 'frontend')`),
    check("api_keys_created_by_type_check", sql`${t.createdByType} in ('user', 'cli')`),
  ],
);
