import { and, asc, eq, gt, isNull, type SQL, sql } from "drizzle-orm";
import type { WebhookEndpoint } from "../../../core/domain/webhook";
import type {
  NewWebhookMessage,
  WebhookEndpointRepository,
} from "../../../core/ports/webhook-endpoint-repository";
import type { Database } from "../database";
import { webhookEndpoints, webhookMessages } from "../schema";

type Row = typeof webhookEndpoints.$inferSelect;

function toEndpoint({ secretSealed: _s, previousSecretSealed: _p, ...row }: Row): WebhookEndpoint {
  return row;
}

const endpointOf = (tenantId: string, id: string) =>
  and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.tenantId, tenantId));

/**
 * Writes outbox messages, due at once, in one statement: it locks the endpoints (a concurrent delete
 * waits for the transaction), drops messages for any deleted or disabled since they were read (from
 * the cache, perhaps: a webhook removed meanwhile must not fail the change being reported), and
 * writes the rest. The messages travel as one JSON parameter, so the text is the same for any number
 * of them and is prepared once per connection. Also run inside the audit append's own statement
 * (audit-log.ts), as one of its `WITH` parts.
 */
export function enqueueStatement(messages: NewWebhookMessage[]): SQL {
  const rows = messages.map((m) => ({
    id: m.id,
    tenant_id: m.tenantId,
    endpoint_id: m.endpointId,
    payload: m.payload,
    created_at: m.createdAt.toISOString(),
  }));
  return sql`insert into ${webhookMessages} (id, tenant_id, endpoint_id, event_type, payload, next_attempt_at, created_at)
select m.id, e.tenant_id, e.id, m.payload->>'type', m.payload, m.created_at, m.created_at
from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as m(id uuid, tenant_id uuid, endpoint_id uuid, payload jsonb, created_at timestamptz)
join ${webhookEndpoints} e on e.id = m.endpoint_id and e.tenant_id = m.tenant_id
where e.enabled and e.disabled_at is null
for key share of e`;
}

export function webhookEndpointRepository(db: Database): WebhookEndpointRepository {
  return {
    async create({ createdAt, ...endpoint }) {
      const [row] = await db
        .insert(webhookEndpoints)
        .values({ ...endpoint, createdAt, updatedAt: createdAt })
        .returning();
      return toEndpoint(row!);
    },
    async findById(tenantId, id) {
      const [row] = await db.select().from(webhookEndpoints).where(endpointOf(tenantId, id));
      return row ? toEndpoint(row) : null;
    },
    async list(tenantId, page) {
      const rows = await db
        .select()
        .from(webhookEndpoints)
        .where(
          and(
            eq(webhookEndpoints.tenantId, tenantId),
            page.after ? gt(webhookEndpoints.id, page.after) : undefined,
          ),
        )
        .orderBy(asc(webhookEndpoints.id))
        .limit(page.limit + 1);
      return rows.map(toEndpoint);
    },
    async update(tenantId, id, patch, at) {
      const reenable =
        patch.enabled === true ? { disabledAt: null, disabledReason: null, consecutiveFailures: 0 } : {};
      const [row] = await db
        .update(webhookEndpoints)
        .set({ ...patch, ...reenable, updatedAt: at })
        .where(endpointOf(tenantId, id))
        .returning();
      return row ? toEndpoint(row) : null;
    },
    async delete(tenantId, id) {
      const [row] = await db.delete(webhookEndpoints).where(endpointOf(tenantId, id)).returning();
      return row ? toEndpoint(row) : null;
    },
    async rotateSecret(tenantId, id, { secretSealed, previousExpiresAt }, at) {
      const [row] = await db
        .update(webhookEndpoints)
        .set({
          previousSecretSealed: webhookEndpoints.secretSealed,
          previousSecretExpiresAt: previousExpiresAt,
          secretSealed,
          updatedAt: at,
        })
        .where(endpointOf(tenantId, id))
        .returning();
      return row ? toEndpoint(row) : null;
    },
    async subscribers(tenantId) {
      return db
        .select({ id: webhookEndpoints.id, events: webhookEndpoints.events })
        .from(webhookEndpoints)
        .where(
          and(
            eq(webhookEndpoints.tenantId, tenantId),
            eq(webhookEndpoints.enabled, true),
            isNull(webhookEndpoints.disabledAt),
          ),
        );
    },
    async enqueue(messages) {
      if (messages.length > 0) await db.execute(enqueueStatement(messages));
    },
  };
}
