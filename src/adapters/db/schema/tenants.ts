import { check, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { TENANT_STATUSES } from "../../../core/domain/tenant";
import { createdAt, id, oneOf, updatedAt } from "./columns";

export const tenants = pgTable(
  "tenants",
  {
    id: id(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    domain: text("domain"),
    plan: text("plan").notNull().default("free"),
    status: text("status", { enum: TENANT_STATUSES }).notNull().default("active"),
    settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("tenants_slug_key").on(t.slug),
    uniqueIndex("tenants_domain_key").on(t.domain),
    check("tenants_status_check", oneOf(t.status, TENANT_STATUSES)),
  ],
);

/** The `tenant_id` column of a tenant-owned table. */
export const tenantId = () =>
  uuid("tenant_id")
    .notNull()
    .references(() => tenants.id, { onDelete: "cascade" });
