import { tenantScope } from "../../domain/data-scope";
import { webhookMessageId } from "../../domain/webhook";
import { nextWebhookAttemptAt, WEBHOOK_DISABLE_AFTER_FAILED_MESSAGES } from "../../domain/webhook-retry";
import { webhookHeaders } from "../../domain/webhook-signature";
import type { Clock } from "../../ports/clock";
import type { IdGenerator } from "../../ports/id-generator";
import type { Logger } from "../../ports/logger";
import type { Mailer } from "../../ports/mailer";
import type { UnitOfWork } from "../../ports/repositories";
import type { SecretBox } from "../../ports/secret-box";
import type { ClaimedWebhookMessage, WebhookDeliveryQueue } from "../../ports/webhook-delivery-queue";
import type {
  WebhookDeliveryOutcome,
  WebhookEndpointHealth,
  WebhookTelemetry,
} from "../../ports/webhook-endpoint-health";
import type { WebhookTransport } from "../../ports/webhook-transport";

export interface DeliverWebhooksDeps {
  queue: WebhookDeliveryQueue;
  transport: WebhookTransport;
  health: WebhookEndpointHealth;
  secrets: Pick<SecretBox, "open">;
  /** Reads the admins of a tenant whose endpoint was disabled, in that tenant's scope. */
  uow: Pick<UnitOfWork, "transaction">;
  mailer: Mailer;
  telemetry: WebhookTelemetry;
  logger: Logger;
  clock: Clock;
  ids: IdGenerator;
  /** In [0, 1): spreads retries (jitter). */
  random: () => number;
  /** Names this worker's claims; unique per process. */
  workerId: string;
  leaseMs: number;
  /** The retry delays after each failed attempt; the domain's schedule unless a test shortens it. */
  retryDelaysMs?: readonly number[];
}

export type DeliverWebhooks = ReturnType<typeof makeDeliverWebhooks>;

/**
 * Delivers the outbox: a worker claims due messages under a lease, sends each signed with every
 * secret still signing, logs the attempt, and marks it delivered, due again later (backoff with
 * jitter) or given up. At-least-once: a worker that dies mid-send leaves the claim to expire and
 * another sends the same `webhook-id` again, which receivers de-duplicate.
 */
export function makeDeliverWebhooks(deps: DeliverWebhooksDeps) {
  const { queue, clock } = deps;

  /** The current secret (throws when it cannot be opened) and the previous one while it still signs. */
  function signingSecrets({ endpoint }: ClaimedWebhookMessage, now: Date): string[] {
    const secrets = [deps.secrets.open(endpoint.secretSealed)];
    const { previousSecretSealed: previous, previousSecretExpiresAt: until } = endpoint;
    if (previous !== null && until !== null && until > now) {
      try {
        secrets.push(deps.secrets.open(previous));
      } catch {
        // A rotation away from an unreadable secret: the new one alone signs.
      }
    }
    return secrets;
  }

  async function tellAdmins(tenantId: string, url: string): Promise<void> {
    const admins = await deps.uow.transaction(tenantScope(tenantId), (repos) =>
      repos.users.list(tenantId, { role: "admin", isActive: true }, { limit: 50, after: null }),
    );
    const lines = [
      `Your webhook endpoint ${url} was disabled: its last ${WEBHOOK_DISABLE_AFTER_FAILED_MESSAGES} messages all failed after every retry.`,
      "Fix the receiver, enable the endpoint again, and resend what it missed from its message log.",
    ];
    for (const admin of admins) {
      await deps.mailer.send({
        to: admin.email,
        subject: "A webhook endpoint was disabled",
        text: lines.join("\n"),
        html: lines.map((line) => `<p>${Bun.escapeHTML(line)}</p>`).join("\n"),
      });
    }
  }

  async function giveUp(claimed: ClaimedWebhookMessage): Promise<WebhookDeliveryOutcome> {
    const { message, endpoint } = claimed;
    if (!(await queue.markFailed(message.id, deps.workerId))) return "lease_lost";
    const disabled = await deps.health.gaveUp(
      endpoint.id,
      WEBHOOK_DISABLE_AFTER_FAILED_MESSAGES,
      clock.now(),
    );
    if (disabled) {
      deps.logger.warn("webhook.endpoint_disabled", { tenantId: message.tenantId, endpointId: endpoint.id });
      await tellAdmins(message.tenantId, endpoint.url).catch((error: unknown) =>
        deps.logger.error("webhook.disabled_mail_failed", { endpointId: endpoint.id, error: String(error) }),
      );
    }
    return "failed";
  }

  /** Sends one claimed message once and settles it; never throws for the receiver's faults. */
  async function deliver(claimed: ClaimedWebhookMessage): Promise<WebhookDeliveryOutcome> {
    const { message, endpoint } = claimed;
    const attemptedAt = clock.now();
    const record = (fields: {
      statusCode: number | null;
      durationMs: number;
      responseSnippet: string | null;
      error: string | null;
    }) =>
      queue.recordAttempt({
        id: deps.ids.next(),
        messageId: message.id,
        tenantId: message.tenantId,
        attemptedAt,
        ...fields,
      });

    /** Settles a message that cannot be sent at all: logged with the reason, and failed. */
    const notSent = async (error: string): Promise<WebhookDeliveryOutcome> => {
      await record({ statusCode: null, durationMs: 0, responseSnippet: null, error });
      const outcome = (await queue.markFailed(message.id, deps.workerId)) ? "failed" : "lease_lost";
      deps.telemetry.webhookDelivery(outcome);
      return outcome;
    };

    if (!endpoint.active) return notSent("The endpoint is disabled: not sent.");

    const body = JSON.stringify(message.payload);
    let secrets: string[];
    try {
      secrets = signingSecrets(claimed, attemptedAt);
    } catch {
      // Sealed under another key (MFA_ENCRYPTION_KEY or JWT_SECRET changed): no retry can sign it.
      deps.logger.error("webhook.secret_unreadable", { endpointId: endpoint.id });
      return notSent("The endpoint's signing secret cannot be read: rotate it.");
    }
    const headers = webhookHeaders(secrets, webhookMessageId(message.id), attemptedAt, body);
    const started = performance.now();
    const result = await deps.transport.post(
      endpoint.url,
      { ...headers, "content-type": "application/json" },
      body,
    );
    const durationMs = Math.round(performance.now() - started);
    const answered = result.kind === "answered";
    await record({
      statusCode: answered ? result.statusCode : null,
      durationMs,
      responseSnippet: answered ? result.responseSnippet : null,
      error: answered ? null : result.error,
    });

    let outcome: WebhookDeliveryOutcome;
    if (answered && result.statusCode >= 200 && result.statusCode < 300) {
      outcome = (await queue.markDelivered(message.id, deps.workerId, clock.now()))
        ? "delivered"
        : "lease_lost";
      if (outcome === "delivered") await deps.health.delivered(endpoint.id);
    } else {
      const next = nextWebhookAttemptAt(message.attempts + 1, clock.now(), deps.random, deps.retryDelaysMs);
      if (next === null) outcome = await giveUp(claimed);
      else outcome = (await queue.reschedule(message.id, deps.workerId, next)) ? "retrying" : "lease_lost";
    }
    deps.telemetry.webhookDelivery(outcome);
    return outcome;
  }

  return {
    /** Leases up to `limit` due messages to this worker. */
    claim: (limit: number) => queue.claimDue(limit, deps.leaseMs, clock.now(), deps.workerId),
    deliver,
    /** Hands back claims this worker will not finish (shutdown): due at once for any worker. */
    release: (messageIds: string[]) => queue.release(messageIds, deps.workerId),
  };
}
