import { Registry } from "prom-client";
import { webhookQueueStats } from "../adapters/db/repositories/webhook-queue-stats";
import { prometheusTelemetry } from "../adapters/metrics/prometheus-telemetry";
import { prometheusWebhookTelemetry } from "../adapters/metrics/webhook-metrics";
import { describeError } from "../adapters/system/describe-error";
import type { Config } from "../config";
import type { Logger } from "../core/ports/logger";
import { startWebhookDeliveryWorker, type WebhookDeliveryWorker } from "../jobs/webhook-delivery-worker";
import { composeHttpApp } from "./http-app";
import type { Infrastructure } from "./infrastructure";
import { scheduleJobs } from "./server-jobs";
import { composeUseCases } from "./use-cases";
import { composeWebhookDelivery } from "./webhook-delivery";

/**
 * The server's composition root: the use cases and the HTTP app around them. A serving server starts
 * the background work (the jobs and the webhook delivery worker) once start-up is done, so a start-up
 * that fails has no timers left running.
 */
export function composeServer(config: Config, infra: Infrastructure & { logger: Logger }) {
  // A registry per server, so several in one process (tests, workers) never collide on metric names.
  const metricsRegistry = new Registry();
  const wired = composeUseCases(config, { ...infra, telemetry: prometheusTelemetry(metricsRegistry) });
  const app = composeHttpApp(config, { ...infra, ids: wired.ids, useCases: wired.useCases, metricsRegistry });
  const webhookTelemetry = prometheusWebhookTelemetry(metricsRegistry, webhookQueueStats(wired.db));
  function startBackgroundWork(): WebhookDeliveryWorker {
    scheduleJobs(app, config, infra.logger, wired.useCases);
    const deliver = composeWebhookDelivery(config, wired, {
      logger: infra.logger,
      telemetry: webhookTelemetry,
    });
    return startWebhookDeliveryWorker({
      deliver,
      concurrency: config.webhooks.concurrency,
      logger: infra.logger,
      describeError,
    });
  }
  return { ...wired, app, startBackgroundWork };
}
