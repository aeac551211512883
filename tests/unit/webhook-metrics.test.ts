import { expect, test } from "bun:test";
import { Registry } from "prom-client";
import { prometheusWebhookTelemetry } from "../../src/adapters/metrics/webhook-metrics";

const now = new Date("2026-12-03T14:00:00.000Z");

test("deliveries are counted by outcome; depth and oldest age are read once per scrape", async () => {
  const registry = new Registry();
  let reads = 0;
  const telemetry = prometheusWebhookTelemetry(
    registry,
    async () => {
      reads++;
      return { pending: 3, oldestPendingAt: new Date(now.getTime() - 90_000) };
    },
    () => now,
  );
  telemetry.webhookDelivery("delivered");
  telemetry.webhookDelivery("delivered");
  telemetry.webhookDelivery("retrying");

  const text = await registry.metrics();
  expect(text).toContain('webhook_deliveries_total{outcome="delivered"} 2');
  expect(text).toContain('webhook_deliveries_total{outcome="retrying"} 1');
  expect(text).toContain('webhook_deliveries_total{outcome="failed"} 0');
  expect(text).toContain("webhook_queue_depth 3");
  expect(text).toContain("webhook_oldest_pending_age_seconds 90");
  expect(reads).toBe(1);
});

test("an empty queue reads as depth 0 and age 0", async () => {
  const registry = new Registry();
  prometheusWebhookTelemetry(
    registry,
    async () => ({ pending: 0, oldestPendingAt: null }),
    () => now,
  );
  const text = await registry.metrics();
  expect(text).toContain("webhook_queue_depth 0");
  expect(text).toContain("webhook_oldest_pending_age_seconds 0");
});
