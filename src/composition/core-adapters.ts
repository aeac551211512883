import { countedCache } from "../adapters/cache/counted-cache";
import { auditTrail } from "../adapters/db/repositories/audit-trail";
import { scopedDatabase } from "../adapters/db/scoped-database";
import { unitOfWork } from "../adapters/db/unit-of-work";
import { countedMailer } from "../adapters/mail/counted-mailer";
import { uncountedTelemetry } from "../adapters/metrics/uncounted-telemetry";
import { bcryptHasher } from "../adapters/security/bcrypt-hasher";
import { hmacTokenDeriver } from "../adapters/security/hmac-token-deriver";
import { hs256Signer } from "../adapters/security/hs256-signer";
import { systemClock } from "../adapters/system/system-clock";
import { uuidv7Ids } from "../adapters/system/uuidv7-ids";
import type { Config } from "../config";
import { makeTokenIssuer } from "../core/usecases/auth/token-issuer";
import { makeWebhookSubscriberCache } from "../core/usecases/webhooks/subscriber-cache";
import type { Infrastructure } from "./infrastructure";
import { createMailer } from "./mailer";

/** Bounds how long two endpoint changes racing in one tenant could leave an older list cached. */
const WEBHOOK_SUBSCRIBERS_TTL_SECONDS = 60;

/** The ports the use cases take, each on the adapter the configuration selects. */
export function coreAdapters(config: Config, infra: Infrastructure) {
  const clock = infra.clock ?? systemClock;
  const ids = uuidv7Ids;
  const db = scopedDatabase(infra.database);
  const telemetry = infra.telemetry ?? uncountedTelemetry;
  const signer = hs256Signer({
    secret: config.auth.jwtSecret,
    issuer: config.auth.issuer,
    audience: config.auth.audience,
    ttlSeconds: config.auth.accessTokenTtlSeconds,
  });
  const cache = countedCache(infra.store.cache, telemetry);
  const webhookSubscribers = makeWebhookSubscriberCache({
    cache,
    ttlSeconds: WEBHOOK_SUBSCRIBERS_TTL_SECONDS,
  });
  return {
    clock,
    ids,
    /** Every query of the application runs in a scoped transaction (row-level security). */
    db,
    uow: unitOfWork(db, clock, ids, telemetry, webhookSubscribers),
    webhookSubscribers,
    trail: auditTrail(db, clock),
    hasher: bcryptHasher(config.auth.bcryptCost),
    signer,
    issuer: makeTokenIssuer({ signer, ids, deriver: hmacTokenDeriver(config.auth.jwtSecret) }),
    mailer: countedMailer(infra.mailer ?? createMailer(config.mail, clock), telemetry),
    cache,
    telemetry,
  };
}

export type CoreAdapters = ReturnType<typeof coreAdapters>;
