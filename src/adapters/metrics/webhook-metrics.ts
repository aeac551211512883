import { Counter, Gauge, type Registry } from "prom-client";
import type { WebhookDeliveryOutcome, WebhookTelemetry } from "../../core/ports/webhook-endpoint-health";
import type { WebhookQueueStats } from "../db/repositories/webhook-queue-stats";

const OUTCOMES: WebhookDeliveryOutcome[] = ["delivered", "retrying", "failed", "lease_lost"];

/**
 * Delivery attempts by outcome, counted as they settle; the queue's depth and the age of its oldest
 * pending message, read from the database at scrape time (one aggregate query per scrape, shared by
 * both gauges).
 */
export function prometheusWebhookTelemetry(
  registry: Registry,
  stats: () => Promise<WebhookQueueStats>,
  now: () => Date = () => new Date(),
): WebhookTelemetry {
  const registers = [registry];
  const deliveries = new Counter({
    name: "webhook_deliveries_total",
    help: "Webhook delivery attempts by outcome",
    labelNames: ["outcome"],
    registers,
  });
  for (const outcome of OUTCOMES) deliveries.inc({ outcome }, 0);

  let scrape: Promise<WebhookQueueStats | null> | null = null;
  // Both gauges of one scrape share one query; the next scrape asks again.
  const current = () => {
    scrape ??= stats()
      .catch(() => null)
      .finally(() => setTimeout(() => (scrape = null), 0));
    return scrape;
  };
  new Gauge({
    name: "webhook_queue_depth",
    help: "Webhook messages pending (not yet delivered nor given up)",
    registers,
    async collect() {
      const read = await current();
      if (read) this.set(read.pending);
    },
  });
  new Gauge({
    name: "webhook_oldest_pending_age_seconds",
    help: "Age of the oldest pending webhook message (0 when none is pending)",
    registers,
    async collect() {
      const read = await current();
      if (!read) return;
      const oldest = read.oldestPendingAt;
      this.set(oldest ? Math.max(0, (now().getTime() - oldest.getTime()) / 1000) : 0);
    },
  });
  return { webhookDelivery: (outcome) => deliveries.inc({ outcome }) };
}
