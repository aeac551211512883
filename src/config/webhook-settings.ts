import { Type as T } from "@sinclair/typebox";
import { invalid, type SettingsOf } from "./setting-types";

export const webhookSettings = {
  WEBHOOK_ALLOW_HTTP: T.Boolean({
    default: false,
    description: "webhook URLs may be plain http (development)",
  }),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: T.Boolean({
    default: false,
    description:
      "webhooks may target loopback and private addresses (development and tests; refused in production)",
  }),
  WEBHOOK_LEASE_SECONDS: T.Integer({
    minimum: 1,
    maximum: 3_600,
    default: 60,
    description: "how long a worker holds a claimed message before another may send it",
  }),
  WEBHOOK_CONCURRENCY: T.Integer({
    minimum: 1,
    maximum: 64,
    default: 8,
    description: "deliveries one server instance has in flight at most",
  }),
};

export interface WebhookConfig {
  allowHttp: boolean;
  allowPrivateTargets: boolean;
  leaseSeconds: number;
  concurrency: number;
}

export function webhookConfig(env: SettingsOf<typeof webhookSettings>, production: boolean): WebhookConfig {
  if (production && env.WEBHOOK_ALLOW_PRIVATE_TARGETS) {
    throw invalid(
      "WEBHOOK_ALLOW_PRIVATE_TARGETS=true would let tenants' webhooks reach the platform's own network; it is for development and tests only.",
    );
  }
  return {
    allowHttp: env.WEBHOOK_ALLOW_HTTP,
    allowPrivateTargets: env.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    leaseSeconds: env.WEBHOOK_LEASE_SECONDS,
    concurrency: env.WEBHOOK_CONCURRENCY,
  };
}
