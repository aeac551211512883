import { hostname } from "node:os";
import { flagMetricsRepository } from "../adapters/db/repositories/flag-metrics-repository";
import type { Config } from "../config";
import { makeEmailChange } from "../core/usecases/account/email-change";
import { makeEmailVerification } from "../core/usecases/account/email-verification";
import { makeAcceptInvitation } from "../core/usecases/account/invitation";
import { makePasswordReset } from "../core/usecases/account/password-reset";
import { makeApplyAuditRetention } from "../core/usecases/audit/apply-audit-retention";
import { makeAuditScope } from "../core/usecases/audit/audit-scope";
import { makeCoalescedAudit } from "../core/usecases/audit/coalesced-audit";
import { makeExportAuditLog } from "../core/usecases/audit/export-audit-log";
import { makeFollowAuditLog } from "../core/usecases/audit/follow-audit-log";
import { makeReadAuditLog } from "../core/usecases/audit/read-audit-log";
import { makeRecordDenial } from "../core/usecases/audit/record-denial";
import { makeRecordLockout } from "../core/usecases/audit/record-lockout";
import { makeRecordRateLimitTrip } from "../core/usecases/audit/record-rate-limit-trip";
import { makeVerifyAuditChain } from "../core/usecases/audit/verify-audit-chain";
import { makeAbuseGuard } from "../core/usecases/auth/abuse-guard";
import { makeAuthenticate } from "../core/usecases/auth/authenticate";
import { makeAuthorize } from "../core/usecases/auth/authorize";
import { makeLogin } from "../core/usecases/auth/login";
import { makeLogoutByRefreshToken } from "../core/usecases/auth/logout-by-refresh-token";
import { makeRefresh } from "../core/usecases/auth/refresh";
import { makeEvaluateFlags } from "../core/usecases/flags/evaluate-flags";
import { makeEvaluateForFrontend } from "../core/usecases/flags/evaluate-for-frontend";
import { makeFlagDefinitions } from "../core/usecases/flags/flag-definitions";
import { makeFlagEngine } from "../core/usecases/flags/flag-engine";
import { makeFlagMetrics } from "../core/usecases/flags/flag-metrics";
import { makeManageFlags } from "../core/usecases/flags/manage-flags";
import { makeManageSegments } from "../core/usecases/flags/manage-segments";
import { makeReadFlagMetrics } from "../core/usecases/flags/read-flag-metrics";
import { makePurgeExpired } from "../core/usecases/maintenance/purge-expired";
import { makeEditRole } from "../core/usecases/roles/edit-role";
import { makeEffectivePermissions } from "../core/usecases/roles/effective-permissions";
import { makeGetRole } from "../core/usecases/roles/get-role";
import { listCatalog } from "../core/usecases/roles/list-catalog";
import { makeSeedPlatform } from "../core/usecases/seed/seed-platform";
import { makeListSessions } from "../core/usecases/sessions/list-sessions";
import { makeRevokeSessions } from "../core/usecases/sessions/revoke-sessions";
import { makeManageTenants } from "../core/usecases/tenants/manage-tenants";
import { makeTenantResolver } from "../core/usecases/tenants/resolve-tenant";
import { makeChangePassword } from "../core/usecases/users/change-password";
import { makeGetCurrentUser } from "../core/usecases/users/get-current-user";
import { makeInvitationLimit } from "../core/usecases/users/invitation-limit";
import { makeManageUsers } from "../core/usecases/users/manage-users";
import { makeUserCache } from "../core/usecases/users/user-cache";
import { accountLinks } from "./account-links";
import { wireApiKeys } from "./api-key-use-cases";
import { type CoreAdapters, coreAdapters } from "./core-adapters";
import type { Infrastructure } from "./infrastructure";
import { wireMfa } from "./mfa-use-cases";
import { wireSignup } from "./signup-use-cases";
import { wireWebhooks } from "./webhook-use-cases";

/**
 * Wires every use case to its adapters: what the server and saasctl both run. Knows the core and the
 * adapters, never a delivery mechanism (no HTTP, no terminal).
 */
export function composeUseCases(config: Config, infra: Infrastructure) {
  const adapters = coreAdapters(config, infra);
  return { ...adapters, useCases: wire(config, infra, adapters) };
}

function wire(config: Config, { store }: Infrastructure, adapters: CoreAdapters) {
  const { clock, ids, db, uow, trail, hasher, signer, issuer, mailer, cache, telemetry } = adapters;
  const sessionCacheTtlSeconds = config.cache.sessionTtlSeconds;
  const userCache = makeUserCache({ uow, cache, ttlSeconds: sessionCacheTtlSeconds });
  const links = accountLinks(config.http);
  const permissions = makeEffectivePermissions({
    uow,
    cache,
    ttlSeconds: config.cache.permissionTtlSeconds,
  });
  const authorize = makeAuthorize(permissions);
  const tenants = makeTenantResolver({
    uow,
    cache,
    ttlSeconds: config.cache.tenantTtlSeconds,
  });
  const flagDefinitions = makeFlagDefinitions({
    uow,
    cache,
    ttlSeconds: config.cache.flagTtlSeconds,
  });
  const flagEngine = makeFlagEngine({ hostname: hostname(), telemetry });
  const flagMetricsStore = flagMetricsRepository(db);
  const flagMetrics = makeFlagMetrics({ store: flagMetricsStore, definitions: flagDefinitions, clock });
  const manageFlags = makeManageFlags({
    uow,
    definitions: flagDefinitions,
    authorize,
    clock,
    ids,
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

  const coalescedAudit = makeCoalescedAudit({ uow, tally: store.auditTally, clock });
  const recordLockout = makeRecordLockout({ audit: coalescedAudit });
  const recordRateLimitTrip = makeRecordRateLimitTrip({ audit: coalescedAudit, uow });
  const apiKeys = wireApiKeys(config, store, adapters, {
    authorize,
    permissions,
    tenants,
    userCache,
    recordTrip: recordRateLimitTrip,
  });
  const auditScope = makeAuditScope({ authorize, uow });
  const mfa = wireMfa(config, store, adapters, { authorize, userCache });

  return {
    manageFlags,
    manageSegments: makeManageSegments({
      uow,
      definitions: flagDefinitions,
      authorize,
      clock,
      ids,
    }),
    evaluateFlags: makeEvaluateFlags({
      definitions: flagDefinitions,
      authorize,
      engine: flagEngine,
      metrics: flagMetrics,
    }),
    flagDefinitions,
    flagMetrics,
    readFlagMetrics: makeReadFlagMetrics({ flags: manageFlags, store: flagMetricsStore, clock }),
    evaluateForFrontend: makeEvaluateForFrontend({ definitions: flagDefinitions, engine: flagEngine }),
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
      hasher,
      issuer,
      clock,
      ids,
      lockout: store.loginLockout,
      recordLockout,
      refreshTokenTtlSeconds: config.auth.refreshTokenTtlSeconds,
      telemetry,
      mfa: mfa.mfaSignIn,
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
    logoutByRefreshToken: makeLogoutByRefreshToken({ uow, cache, clock, sessionCacheTtlSeconds }),
    sessions: makeRevokeSessions({
      uow,
      cache,
      clock,
      sessionCacheTtlSeconds,
      authorize,
    }),
    listSessions: makeListSessions({ uow, clock, authorize }),
    changePassword: makeChangePassword({
      userCache,
      uow,
      authorize,
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
    getRole: makeGetRole({ uow }),
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
      uow,
      cache,
      clock,
      sessionCacheTtlSeconds,
      apiKeys: apiKeys.authenticateApiKey,
    }),
    ...apiKeys,
    ...mfa,
    ...wireSignup(config, adapters),
    ...wireWebhooks(config, adapters, { authorize }),
    tenants,
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
}

export type UseCaseComposition = ReturnType<typeof composeUseCases>;
export type UseCases = UseCaseComposition["useCases"];
