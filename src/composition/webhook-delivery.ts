import { hostname } from "node:os";
import { webhookDeliveryQueue } from "../adapters/db/repositories/webhook-delivery-queue";
import { webhookEndpointHealth } from "../adapters/db/repositories/webhook-endpoint-health";
import { dnsHostResolver } from "../adapters/system/dns-host-resolver";
import {
  type CheckedWebhookTarget,
  fetchWebhookTransport,
} from "../adapters/webhooks/fetch-webhook-transport";
import type { Config } from "../config";
import { ValidationError } from "../core/domain/errors";
import type { HostResolver } from "../core/ports/host-resolver";
import type { Logger } from "../core/ports/logger";
import type { WebhookTelemetry } from "../core/ports/webhook-endpoint-health";
import { makeCheckWebhookTarget } from "../core/usecases/webhooks/check-webhook-target";
import { makeDeliverWebhooks } from "../core/usecases/webhooks/deliver";
import type { CoreAdapters } from "./core-adapters";
import { webhookSecretBox } from "./webhook-secret-box";

/** The transport's check: the first checked address to connect to, or the refusal as the attempt log shows it. */
export function checkedTarget(check: ReturnType<typeof makeCheckWebhookTarget>) {
  return (url: string): Promise<CheckedWebhookTarget> =>
    check(url).then(
      ({ addresses }) => ({ kind: "allowed", address: addresses[0] as string }),
      (error: unknown) => {
        if (error instanceof ValidationError) {
          return { kind: "refused", reason: error.errors?.[0]?.message ?? error.message };
        }
        throw error;
      },
    );
}

/** The delivery use case on this server's database, mailer and metrics, named for this process. */
export function composeWebhookDelivery(
  config: Config,
  adapters: Pick<CoreAdapters, "db" | "uow" | "mailer" | "clock" | "ids">,
  {
    logger,
    telemetry,
    resolver = dnsHostResolver,
  }: { logger: Logger; telemetry: WebhookTelemetry; resolver?: HostResolver },
) {
  const { db } = adapters;
  const check = makeCheckWebhookTarget(resolver, config.webhooks);
  return makeDeliverWebhooks({
    queue: webhookDeliveryQueue(db),
    transport: fetchWebhookTransport({ check: checkedTarget(check) }),
    health: webhookEndpointHealth(db),
    secrets: webhookSecretBox(config),
    uow: adapters.uow,
    mailer: adapters.mailer,
    telemetry,
    logger,
    clock: adapters.clock,
    ids: adapters.ids,
    random: Math.random,
    workerId: `${hostname()}:${process.pid}:${adapters.ids.next().slice(-8)}`,
    leaseMs: config.webhooks.leaseSeconds * 1000,
  });
}
