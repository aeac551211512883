import { webhookMessageLog } from "../adapters/db/repositories/webhook-message-log";
import { dnsHostResolver } from "../adapters/system/dns-host-resolver";
import type { Config } from "../config";
import type { HostResolver } from "../core/ports/host-resolver";
import type { Authorize } from "../core/usecases/auth/authorize";
import { makeCheckWebhookTarget } from "../core/usecases/webhooks/check-webhook-target";
import { makeManageWebhooks } from "../core/usecases/webhooks/manage-webhooks";
import { makeWebhookMessages } from "../core/usecases/webhooks/webhook-messages";
import type { CoreAdapters } from "./core-adapters";
import { webhookSecretBox } from "./webhook-secret-box";

/**
 * Managing a tenant's webhook endpoints (targets checked with the system resolver, secrets sealed)
 * and reading what they were sent.
 */
export function wireWebhooks(
  config: Config,
  { db, uow, clock, ids, webhookSubscribers }: CoreAdapters,
  { authorize, resolver = dnsHostResolver }: { authorize: Authorize; resolver?: HostResolver },
) {
  return {
    webhooks: makeManageWebhooks({
      authorize,
      uow,
      subscribers: webhookSubscribers,
      checkTarget: makeCheckWebhookTarget(resolver, config.webhooks),
      box: webhookSecretBox(config),
      clock,
      ids,
    }),
    webhookMessages: makeWebhookMessages({
      authorize,
      uow,
      log: webhookMessageLog(db),
      clock,
    }),
  };
}
