import { hostname } from "node:os";
import { memoryCache } from "./adapters/cache/memory-cache";
import { nearCache } from "./adapters/cache/near-cache";
import { redisCache } from "./adapters/cache/redis-cache";
import type { DatabaseHandle } from "./adapters/db/database";
import { rootCauseMessage, translateDatabaseError } from "./adapters/db/db-errors";
import { openPglite } from "./adapters/db/open-pglite";
import { openPostgres } from "./adapters/db/open-postgres";
import { auditTrail } from "./adapters/db/repositories/audit-trail";
import { repositories, unitOfWork } from "./adapters/db/unit-of-work";
import { outboxMailer } from "./adapters/mail/outbox-mailer";
import { sendgridMailer } from "./adapters/mail/sendgrid-mailer";
import { memoryLoginLockout } from "./adapters/rate-limit/memory-login-lockout";
import { memoryRateLimiter } from "./adapters/rate-limit/memory-rate-limiter";
import { redisLoginLockout } from "./adapters/rate-limit/redis-login-lockout";
import { redisRateLimiter } from "./adapters/rate-limit/redis-rate-limiter";
import { openRedis } from "./adapters/redis/redis-connection";
import { bcryptHasher } from "./adapters/security/bcrypt-hasher";
import { hmacTokenDeriver } from "./adapters/security/hmac-token-deriver";
import { hs256Signer } from "./adapters/security/hs256-signer";
import { describeError } from "./adapters/system/describe-error";
import { systemClock } from "./adapters/system/system-clock";
import { uuidv7Ids } from "./adapters/system/uuidv7-ids";
import { memoryAuditTally } from "./adapters/tally/memory-audit-tally";
import { redisAuditTally } from "./adapters/tally/redis-audit-tally";
import type { Config } from "./config";
import type { AuditTally } from "./core/ports/audit-tally";
import type { Cache } from "./core/ports/cache";
import type { Clock } from "./core/ports/clock";
import type { Logger } from "./core/ports/logger";
import type { LoginLockout } from "./core/ports/login-lockout";
import type { Mailer } from "./core/ports/mailer";
import type { RateLimiter } from "./core/ports/rate-limiter";
import { makeEmailChange } from "./core/usecases/account/email-change";
import { makeEmailVerification } from "./core/usecases/account/email-verification";
import { makeAcceptInvitation } from "./core/usecases/account/invitation";
import type { AccountLinks } from "./core/usecases/account/links";
import { makePasswordReset } from "./core/usecases/account/password-reset";
import { makeApplyAuditRetention } from "./core/usecases/audit/apply-audit-retention";
import { makeAuditScope } from "./core/usecases/audit/audit-scope";
import { makeCoalescedAudit } from "./core/usecases/audit/coalesced-audit";
import { makeExportAuditLog } from "./core/usecases/audit/export-audit-log";
import { makeFollowAuditLog } from "./core/usecases/audit/follow-audit-log";
import { makeReadAuditLog } from "./core/usecases/audit/read-audit-log";
import { makeRecordDenial } from "./core/usecases/audit/record-denial";
import { makeRecordLockout } from "./core/usecases/audit/record-lockout";
import { makeRecordRateLimitTrip } from "./core/usecases/audit/record-rate-limit-trip";
import { makeVerifyAuditChain } from "./core/usecases/audit/verify-audit-chain";
import { makeAbuseGuard } from "./core/usecases/auth/abuse-guard";
import { makeAuthenticate } from "./core/usecases/auth/authenticate";
import { makeAuthorize } from "./core/usecases/auth/authorize";
import { makeLogin } from "./core/usecases/auth/login";
import { makeRefresh } from "./core/usecases/auth/refresh";
import { makeTokenIssuer } from "./core/usecases/auth/token-issuer";
import { makeEvaluateFlags } from "./core/usecases/flags/evaluate-flags";
import { makeFlagDefinitions } from "./core/usecases/flags/flag-definitions";
import { makeManageFlags } from "./core/usecases/flags/manage-flags";
import { makeManageSegments } from "./core/usecases/flags/manage-segments";
import { makePurgeExpired } from "./core/usecases/maintenance/purge-expired";
import { makeEditRole } from "./core/usecases/roles/edit-role";
import { makeEffectivePermissions } from "./core/usecases/roles/effective-permissions";
import { makeGetRole } from "./core/usecases/roles/get-role";
import { listCatalog } from "./core/usecases/roles/list-catalog";
import { makeSeedPlatform } from "./core/usecases/seed/seed-platform";
import { makeListSessions } from "./core/usecases/sessions/list-sessions";
import { makeRevokeSessions } from "./core/usecases/sessions/revoke-sessions";
import { makeManageTenants } from "./core/usecases/tenants/manage-tenants";
import { makeTenantResolver } from "./core/usecases/tenants/resolve-tenant";
import { makeChangePassword } from "./core/usecases/users/change-password";
import { makeGetCurrentUser } from "./core/usecases/users/get-current-user";
import { makeInvitationLimit } from "./core/usecases/users/invitation-limit";
import { makeManageUsers } from "./core/usecases/users/manage-users";
import { makeUserCache } from "./core/usecases/users/user-cache";
import { createApp } from "./http/app";
import { createHttpMetrics } from "./http/metrics";
import { auditRetentionJob } from "./jobs/audit-retention-job";
import { auditTallyFlushJob } from "./jobs/audit-tally-flush-job";
import { purgeExpiredJob } from "./jobs/purge-expired-job";

export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
}

/** Opens the configured database and proves it answers; never falls back to another one. */
export async function openDatabase(config: Config["database"]): Promise<DatabaseHandle> {
  const where =
    config.driver === "pglite" ? `embedded database at ${config.dataDir}` : "PostgreSQL at DATABASE_URL";
  let handle: DatabaseHandle | undefined;
  try {
    handle = config.driver === "pglite" ? await openPglite(config.dataDir) : await openPostgres(config);
    await handle.ping();
    return handle;
  } catch (error) {
    await handle?.close().catch(() => {});
    throw new DatabaseUnavailableError(`Cannot open the ${where}: ${rootCauseMessage(error)}`);
  }
}

/**
 * State that may be lost without much harm, unlike the database's: the cache, rate-limit counters,
 * login lockouts and the audit tally (refusals counted but not yet summarised in the log). On Redis
 * when REDIS_URL is set (shared by every instance, one connection), else in this process. While
 * Redis is away the in-memory limiter, lockout and tally stand in.
 */
export interface EphemeralStore {
  cache: Cache;
  rateLimiter: RateLimiter;
  loginLockout: LoginLockout;
  auditTally: AuditTally;
  ping(): Promise<void>;
  /** Waits (bounded) for Redis to be connected; true at once without Redis. */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export function openEphemeralStore(config: Config, logger: Logger): EphemeralStore {
  const rateLimiter = memoryRateLimiter();
  const loginLockout = memoryLoginLockout(config.abuse.lockout);
  const auditTally = memoryAuditTally();
  if (!config.cache.redisUrl) {
    return {
      cache: memoryCache(),
      rateLimiter,
      loginLockout,
      auditTally,
      ping: async () => {},
      ready: async () => true,
      close: async () => {},
    };
  }
  const connection = openRedis({ url: config.cache.redisUrl, keyPrefix: config.cache.keyPrefix, logger });
  const invalidationChannel = `${config.cache.keyPrefix}cache-invalidations`;
  const shared = redisCache(connection, { invalidationChannel, logger });
  const near =
    config.cache.localSeconds > 0
      ? nearCache({
          remote: shared,
          publisher: connection.redis,
          subscriber: connection.redis.duplicate(),
          channel: invalidationChannel,
          logger,
          maxLocalSeconds: config.cache.localSeconds,
        })
      : null;
  return {
    cache: near ?? shared,
    rateLimiter: redisRateLimiter(connection, rateLimiter),
    loginLockout: redisLoginLockout(connection, config.abuse.lockout, loginLockout),
    auditTally: redisAuditTally(connection, auditTally),
    ping: connection.ping,
    ready: connection.ready,
    close: async () => {
      await near?.close();
      await connection.close();
    },
  };
}

export function createMailer(config: Config["mail"], clock: Clock): Mailer {
  return config.sendgridApiKey
    ? sendgridMailer({ apiKey: config.sendgridApiKey, from: config.from })
    : outboxMailer(config.outboxPath, clock);
}

function accountLinks({ publicUrl, appUrl }: { publicUrl: string; appUrl: string }): AccountLinks {
  const withToken = (base: string, token: string) => `${base}?token=${encodeURIComponent(token)}`;
  return {
    verifyEmail: (token) => withToken(`${publicUrl}/api/v1/auth/verify-email`, token),
    resetPassword: (token) => withToken(`${appUrl}/reset-password`, token),
    confirmEmailChange: (token) => withToken(`${publicUrl}/api/v1/auth/confirm-email-update`, token),
    acceptInvitation: (token) => withToken(`${appUrl}/accept-invitation`, token),
  };
}

export interface Infrastructure {
  database: DatabaseHandle;
  store: EphemeralStore;
  logger: Logger;
  clock?: Clock;
  /** Replaces the mailer the configuration selects (tests record messages instead). */
  mailer?: Mailer;
  /** Schedules the background jobs; only the server does, not tests or the CLI. */
  runJobs?: boolean;
}

/** Wires use cases to adapters. The one place that knows every layer. */
export function compose(config: Config, infra: Infrastructure) {
  const clock = infra.clock ?? systemClock;
  const ids = uuidv7Ids;
  const { database, store, logger } = infra;
  const { cache } = store;
  const db = database.db;
  const uow = unitOfWork(db, clock, ids);
  const repos = repositories(db, clock, ids);
  const hasher = bcryptHasher(config.auth.bcryptCost);
  const signer = hs256Signer({
    secret: config.auth.jwtSecret,
    issuer: config.auth.issuer,
    audience: config.auth.audience,
    ttlSeconds: config.auth.accessTokenTtlSeconds,
  });
  const mailer = infra.mailer ?? createMailer(config.mail, clock);
  const issuer = makeTokenIssuer({ signer, ids, deriver: hmacTokenDeriver(config.auth.jwtSecret) });
  const sessionCacheTtlSeconds = config.cache.sessionTtlSeconds;
  const userCache = makeUserCache({ users: repos.users, cache, ttlSeconds: sessionCacheTtlSeconds });
  const links = accountLinks(config.http);
  const permissions = makeEffectivePermissions({
    rolePermissions: repos.rolePermissions,
    cache,
    ttlSeconds: config.cache.permissionTtlSeconds,
  });
  const authorize = makeAuthorize(permissions);
  const flagDefinitions = makeFlagDefinitions({
    flags: repos.flags,
    cache,
    ids,
    ttlSeconds: config.cache.flagTtlSeconds,
  });

  const verification = makeEmailVerification({
    userCache,
    uow,
    mailer,
    clock,
    ids,
    links,
    ttlSeconds: config.account.verificationTtlSeconds,
  });

  const trail = auditTrail(db, clock);
  const coalescedAudit = makeCoalescedAudit({ uow, tally: store.auditTally, clock });
  const recordLockout = makeRecordLockout({ audit: coalescedAudit });
  const recordRateLimitTrip = makeRecordRateLimitTrip({ audit: coalescedAudit, tenants: repos.tenants });
  const auditScope = makeAuditScope({ authorize, tenants: repos.tenants, uow });

  const useCases = {
    manageFlags: makeManageFlags({
      uow,
      flags: repos.flags,
      definitions: flagDefinitions,
      authorize,
      clock,
      ids,
    }),
    manageSegments: makeManageSegments({
      uow,
      segments: repos.segments,
      definitions: flagDefinitions,
      authorize,
      clock,
      ids,
    }),
    evaluateFlags: makeEvaluateFlags({ definitions: flagDefinitions, authorize, hostname: hostname() }),
    verification,
    acceptInvitation: makeAcceptInvitation({
      userCache,
      uow,
      hasher,
      clock,
      cache,
      sessionCacheTtlSeconds,
    }),
    manageUsers: makeManageUsers({
      userCache,
      uow,
      users: repos.users,
      authorize,
      hasher,
      mailer,
      verification,
      cache,
      clock,
      ids,
      links,
      invitationTtlSeconds: config.account.invitationTtlSeconds,
      invitationLimit: makeInvitationLimit({
        rateLimiter: store.rateLimiter,
        recordTrip: recordRateLimitTrip,
        ...config.abuse.invitation,
      }),
      sessionCacheTtlSeconds,
    }),
    login: makeLogin({
      userCache,
      uow,
      users: repos.users,
      hasher,
      issuer,
      clock,
      ids,
      lockout: store.loginLockout,
      recordLockout,
      refreshTokenTtlSeconds: config.auth.refreshTokenTtlSeconds,
    }),
    refresh: makeRefresh({
      uow,
      issuer,
      cache,
      clock,
      idleTimeoutSeconds: config.auth.sessionIdleTimeoutSeconds,
      reuseGraceSeconds: config.auth.refreshReuseGraceSeconds,
      sessionCacheTtlSeconds,
    }),
    sessions: makeRevokeSessions({
      uow,
      cache,
      clock,
      sessionCacheTtlSeconds,
      authorize,
      users: repos.users,
    }),
    listSessions: makeListSessions({ users: repos.users, sessions: repos.sessions, clock, authorize }),
    changePassword: makeChangePassword({
      userCache,
      uow,
      authorize,
      users: repos.users,
      hasher,
      clock,
      cache,
      sessionCacheTtlSeconds,
      lockout: store.loginLockout,
    }),
    passwordReset: makePasswordReset({
      userCache,
      uow,
      mailer,
      hasher,
      cache,
      clock,
      ids,
      links,
      ttlSeconds: config.account.passwordResetTtlSeconds,
      sessionCacheTtlSeconds,
      lockout: store.loginLockout,
      rateLimiter: store.rateLimiter,
    }),
    purgeExpired: makePurgeExpired({ uow, clock, intervalSeconds: config.auth.cleanupIntervalSeconds }),
    permissions,
    authorize,
    listCatalog,
    getRole: makeGetRole({ users: repos.users, rolePermissions: repos.rolePermissions }),
    editRole: makeEditRole({ uow, permissions }),
    manageTenants: makeManageTenants({
      uow,
      authorize,
      cache,
      clock,
      ids,
      tenantCacheTtlSeconds: config.cache.tenantTtlSeconds,
      sessionCacheTtlSeconds,
    }),
    guard: makeAbuseGuard({
      rateLimiter: store.rateLimiter,
      recordTrip: recordRateLimitTrip,
      perIp: config.abuse.perIp,
      perAccount: config.abuse.perAccount,
    }),
    emailChange: makeEmailChange({
      userCache,
      uow,
      authorize,
      users: repos.users,
      mailer,
      clock,
      ids,
      links,
      ttlSeconds: config.account.emailChangeTtlSeconds,
      hasher,
      lockout: store.loginLockout,
    }),
    authenticate: makeAuthenticate({
      signer,
      sessions: repos.sessions,
      cache,
      clock,
      sessionCacheTtlSeconds,
    }),
    tenants: makeTenantResolver({ tenants: repos.tenants, cache, ttlSeconds: config.cache.tenantTtlSeconds }),
    getCurrentUser: makeGetCurrentUser({ userCache }),
    seedPlatform: makeSeedPlatform({ uow, hasher, clock, ids }),
    readAuditLog: makeReadAuditLog({ trail, scope: auditScope }),
    followAuditLog: makeFollowAuditLog({ trail, scope: auditScope }),
    verifyAuditChain: makeVerifyAuditChain({ trail, scope: auditScope }),
    exportAuditLog: makeExportAuditLog({ trail, scope: auditScope }),
    applyAuditRetention: makeApplyAuditRetention({
      trail,
      uow,
      clock,
      retentionDays: config.audit.retentionDays,
    }),
    recordDenial: makeRecordDenial({ audit: coalescedAudit }),
    recordLockout,
    recordRateLimitTrip,
    flushAuditTally: coalescedAudit.flush,
  };

  const app = createApp({
    http: config.http,
    logger,
    metrics: createHttpMetrics(),
    newId: ids.next,
    describeError,
    translateError: translateDatabaseError,
    healthChecks: { database: () => database.ping(), cache: () => store.ping() },
    optionalHealthChecks: ["cache"],
    useCases,
  });

  if (infra.runJobs) {
    app.use(
      purgeExpiredJob({
        purgeExpired: useCases.purgeExpired,
        intervalSeconds: config.auth.cleanupIntervalSeconds,
        logger,
        describeError,
      }),
    );
    app.use(auditTallyFlushJob({ flush: coalescedAudit.flush, logger, describeError }));
    if (config.audit.retentionDays !== null) {
      app.use(
        auditRetentionJob({
          applyAuditRetention: useCases.applyAuditRetention,
          intervalSeconds: config.auth.cleanupIntervalSeconds,
          logger,
          describeError,
        }),
      );
    }
  }

  return { app, useCases, mailer, signer, hasher, repos, uow, clock, ids };
}

export type Composition = ReturnType<typeof compose>;
