import type { AuditOutcome } from "../../core/domain/audit";
import type { Clock } from "../../core/ports/clock";
import type { IdGenerator } from "../../core/ports/id-generator";
import type { AuditLog, Repositories, UnitOfWork } from "../../core/ports/repositories";
import type { Telemetry } from "../../core/ports/telemetry";
import type { WebhookSubscriberCache } from "../../core/usecases/webhooks/subscriber-cache";
import type { Database } from "./database";
import { apiKeyRepository } from "./repositories/api-key-repository";
import { auditLog } from "./repositories/audit-log";
import { featureFlagRepository } from "./repositories/feature-flag-repository";
import { jobLocks, maintenance } from "./repositories/maintenance";
import { mfaRepository } from "./repositories/mfa-repository";
import { oneTimeTokenRepository } from "./repositories/one-time-token-repository";
import { rolePermissionRepository } from "./repositories/role-permission-repository";
import { segmentRepository } from "./repositories/segment-repository";
import { refreshTokenRepository, sessionRepository } from "./repositories/session-repository";
import { tenantRepository } from "./repositories/tenant-repository";
import { userRepository } from "./repositories/user-repository";
import { webhookEndpointRepository } from "./repositories/webhook-endpoint-repository";
import type { ScopedDatabase } from "./scoped-database";
import { webhookOutbox, writtenWithEvent } from "./webhook-outbox";

export function repositories(
  db: Database,
  clock: Clock,
  ids: IdGenerator,
  subscribers?: WebhookSubscriberCache,
): Repositories {
  const webhookEndpoints = webhookEndpointRepository(db);
  return {
    apiKeys: apiKeyRepository(db),
    tenants: tenantRepository(db),
    users: userRepository(db),
    sessions: sessionRepository(db),
    refreshTokens: refreshTokenRepository(db),
    oneTimeTokens: oneTimeTokenRepository(db),
    audit: auditLog(
      db,
      clock,
      ids,
      writtenWithEvent(webhookOutbox(webhookEndpoints, clock, ids, subscribers)),
    ),
    locks: jobLocks(db),
    maintenance: maintenance(db),
    rolePermissions: rolePermissionRepository(db),
    flags: featureFlagRepository(db),
    segments: segmentRepository(db),
    mfa: mfaRepository(db),
    webhookEndpoints,
  };
}

/** Transactions bound to a data scope (scoped-database.ts), with the repositories on them. */
export function unitOfWork(
  db: ScopedDatabase,
  clock: Clock,
  ids: IdGenerator,
  telemetry?: Pick<Telemetry, "auditAppended">,
  subscribers?: WebhookSubscriberCache,
): UnitOfWork {
  if (!telemetry) {
    return {
      transaction: (scope, work) =>
        db.transaction(scope, (tx) => work(repositories(tx, clock, ids, subscribers))),
    };
  }
  return {
    async transaction(scope, work) {
      const appended: AuditOutcome[] = [];
      const result = await db.transaction(scope, (tx) => {
        const repos = repositories(tx, clock, ids, subscribers);
        const { audit } = repos;
        const append: AuditLog["append"] = async (event, origin) => {
          await audit.append(event, origin);
          appended.push(event.outcome);
        };
        return work({ ...repos, audit: { append } });
      });
      // Counted once committed: a transaction that rolled back appended nothing.
      for (const outcome of appended) telemetry.auditAppended(outcome);
      return result;
    },
  };
}
