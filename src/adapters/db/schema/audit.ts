import { sql } from "drizzle-orm";
import { bigint, check, index, jsonb, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns";
import { tenants } from "./tenants";

/**
 * Append-only audit events. Per tenant they form a hash chain: `seq` counts without gaps and
 * `hash = SHA-256(prev_hash || canonical JSON of the event)`.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: id(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "restrict" }),
    seq: bigint("seq", { mode: "number" }).notNull(),
    actorType: text("actor_type", { enum: ["user", "cli", "system", "api_key"] }).notNull(),
    actorId: text("actor_id"),
    actorDisplay: text("actor_display"),
    action: text("action").notNull(),
    resourceType: text("resource_type").notNull(),
    resourceId: text("resource_id"),
    outcome: text("outcome", { enum: ["success", "failure", "denied"] }).notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    requestId: text("request_id"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    unique("audit_events_tenant_seq_key").on(t.tenantId, t.seq),
    index("audit_events_tenant_created_idx").on(t.tenantId, t.createdAt),
    index("audit_events_tenant_action_idx").on(t.tenantId, t.action),
    index("audit_events_tenant_actor_idx").on(t.tenantId, t.actorId, t.seq),
    index("audit_events_tenant_resource_idx").on(t.tenantId, t.resourceType, t.resourceId, t.seq),
    check("audit_events_actor_type_check", sql`${t.actorType} in ('user', 'cli', 'system', 'api_key')`),
    check("audit_events_outcome_check", sql`${t.outcome} in ('success', 'failure', 'denied')`),
  ],
);

/**
 * The head of each tenant's chain. Appending locks this row (SELECT ... FOR UPDATE), which serialises
 * writers per tenant so sequence numbers never gap or fork.
 */
export const auditChainHeads = pgTable("audit_chain_heads", {
  tenantId: uuid("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "restrict" }),
  lastSeq: bigint("last_seq", { mode: "number" }).notNull(),
  lastHash: text("last_hash").notNull(),
});

/**
 * Where each tenant's chain starts after retention cut its oldest events: the first kept `seq` and
 * the hash of the event before it (the first kept event's `prev_hash`). A tenant without a row was
 * never cut: its chain starts at seq 1 after the genesis hash.
 */
export const auditCheckpoints = pgTable("audit_checkpoints", {
  tenantId: uuid("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "restrict" }),
  firstSeq: bigint("first_seq", { mode: "number" }).notNull(),
  prevHash: text("prev_hash").notNull(),
  updatedAt: updatedAt(),
});
