import { and, asc, desc, eq, lt } from "drizzle-orm";
import { tenantScope } from "../../../core/domain/data-scope";
import type { WebhookMessageLog } from "../../../core/ports/webhook-message-log";
import type { Database } from "../database";
import { webhookAttempts, webhookMessages } from "../schema";
import type { ScopedDatabase } from "../scoped-database";
import { toWebhookMessage } from "./webhook-delivery-queue";

const ofEndpoint = (tenantId: string, endpointId: string) =>
  and(eq(webhookMessages.tenantId, tenantId), eq(webhookMessages.endpointId, endpointId));

/** Every call is a transaction in the scope of the tenant it names. */
export function webhookMessageLog(scoped: ScopedDatabase): WebhookMessageLog {
  const inTenant = <T>(tenantId: string, work: (db: Database) => Promise<T>) =>
    scoped.transaction(tenantScope(tenantId), work);
  return {
    async messages(tenantId, endpointId, page) {
      const rows = await inTenant(tenantId, (db) =>
        db
          .select()
          .from(webhookMessages)
          .where(
            and(
              ofEndpoint(tenantId, endpointId),
              page.after ? lt(webhookMessages.id, page.after) : undefined,
            ),
          )
          .orderBy(desc(webhookMessages.id))
          .limit(page.limit + 1),
      );
      return rows.map(toWebhookMessage);
    },
    async findMessage(tenantId, endpointId, messageId) {
      const [row] = await inTenant(tenantId, (db) =>
        db
          .select()
          .from(webhookMessages)
          .where(and(ofEndpoint(tenantId, endpointId), eq(webhookMessages.id, messageId))),
      );
      return row ? toWebhookMessage(row) : null;
    },
    async attempts(tenantId, messageId) {
      return inTenant(tenantId, (db) =>
        db
          .select()
          .from(webhookAttempts)
          .where(and(eq(webhookAttempts.tenantId, tenantId), eq(webhookAttempts.messageId, messageId)))
          .orderBy(asc(webhookAttempts.attemptedAt), asc(webhookAttempts.id)),
      );
    },
    async resend(tenantId, endpointId, messageId, at) {
      const [row] = await inTenant(tenantId, (db) =>
        db
          .update(webhookMessages)
          .set({ status: "pending", nextAttemptAt: at, deliveredAt: null })
          .where(and(ofEndpoint(tenantId, endpointId), eq(webhookMessages.id, messageId)))
          .returning(),
      );
      return row ? toWebhookMessage(row) : null;
    },
  };
}
