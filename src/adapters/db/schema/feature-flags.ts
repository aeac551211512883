import { boolean, integer, jsonb, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns";
import { tenants } from "./tenants";

/**
 * A feature flag. `tenant_id` null marks a platform-wide flag; keys are unique per tenant and among
 * platform-wide flags (NULLS NOT DISTINCT). Strategies, variants and dependencies use the shapes of
 * Unleash's client API.
 */
export const featureFlags = pgTable(
  "feature_flags",
  {
    id: id(),
    tenantId: uuid("tenant_id").references(() => tenants.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    enabled: boolean("enabled").notNull().default(false),
    valueType: text("value_type").notNull().default("boolean"),
    strategies: jsonb("strategies").$type<unknown[]>().notNull().default([]),
    variants: jsonb("variants").$type<unknown[]>().notNull().default([]),
    dependencies: jsonb("dependencies").$type<unknown[]>().notNull().default([]),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique("feature_flags_tenant_key_key").on(t.tenantId, t.key).nullsNotDistinct()],
);

/** Named, reusable constraint sets that flag strategies refer to. */
export const segments = pgTable(
  "segments",
  {
    id: id(),
    tenantId: uuid("tenant_id").references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description"),
    constraints: jsonb("constraints").$type<unknown[]>().notNull().default([]),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique("segments_tenant_name_key").on(t.tenantId, t.name).nullsNotDistinct()],
);
