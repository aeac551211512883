import { Elysia } from "elysia";
import type { DomainError } from "../core/domain/errors";
import type { Logger } from "../core/ports/logger";
import type { EmailChange } from "../core/usecases/account/email-change";
import type { EmailVerification } from "../core/usecases/account/email-verification";
import type { makeAcceptInvitation } from "../core/usecases/account/invitation";
import type { PasswordReset } from "../core/usecases/account/password-reset";
import type { ExportAuditLog } from "../core/usecases/audit/export-audit-log";
import type { ReadAuditLog } from "../core/usecases/audit/read-audit-log";
import type { RecordDenial } from "../core/usecases/audit/record-denial";
import type { RecordLockout } from "../core/usecases/audit/record-lockout";
import type { VerifyAuditChain } from "../core/usecases/audit/verify-audit-chain";
import type { AbuseGuard } from "../core/usecases/auth/abuse-guard";
import type { Authenticate } from "../core/usecases/auth/authenticate";
import type { Authorize } from "../core/usecases/auth/authorize";
import type { makeLogin } from "../core/usecases/auth/login";
import type { LogoutByRefreshToken } from "../core/usecases/auth/logout-by-refresh-token";
import type { makeRefresh } from "../core/usecases/auth/refresh";
import type { EvaluateFlags } from "../core/usecases/flags/evaluate-flags";
import type { EvaluateForFrontend } from "../core/usecases/flags/evaluate-for-frontend";
import type { FlagDefinitionsReader } from "../core/usecases/flags/flag-definitions";
import type { FlagMetrics } from "../core/usecases/flags/flag-metrics";
import type { ManageFlags } from "../core/usecases/flags/manage-flags";
import type { ManageSegments } from "../core/usecases/flags/manage-segments";
import type { ReadFlagMetrics } from "../core/usecases/flags/read-flag-metrics";
import type { EditRole } from "../core/usecases/roles/edit-role";
import type { EffectivePermissions } from "../core/usecases/roles/effective-permissions";
import type { GetRole } from "../core/usecases/roles/get-role";
import type { listCatalog } from "../core/usecases/roles/list-catalog";
import type { makeListSessions } from "../core/usecases/sessions/list-sessions";
import type { RevokeSessions } from "../core/usecases/sessions/revoke-sessions";
import type { ManageTenants } from "../core/usecases/tenants/manage-tenants";
import type { TenantResolver } from "../core/usecases/tenants/resolve-tenant";
import type { makeChangePassword } from "../core/usecases/users/change-password";
import type { makeGetCurrentUser } from "../core/usecases/users/get-current-user";
import type { ManageUsers } from "../core/usecases/users/manage-users";
import type { HttpMetrics } from "./metrics";
import { authPlugin } from "./plugins/auth";
import { cookieLogoutPlugin } from "./plugins/cookie-logout";
import { corsPlugin } from "./plugins/cors";
import { denialAuditPlugin } from "./plugins/denial-audit";
import { docsPagePlugin } from "./plugins/docs-page";
import { errorsPlugin } from "./plugins/errors";
import { jsonBodyPlugin } from "./plugins/json-body";
import { openApiDocument } from "./plugins/openapi-document";
import { rateLimitPlugin } from "./plugins/rate-limit";
import { requestContextPlugin } from "./plugins/request-context";
import { securityHeadersPlugin } from "./plugins/security-headers";
import { signInTenantPlugin } from "./plugins/sign-in-tenant";
import { unleashKeyPlugin } from "./plugins/unleash-key";
import { accountRoutes } from "./routes/account-routes";
import { type ApiKeyUseCases, apiKeysRoutes } from "./routes/api-keys-routes";
import { auditRoutes } from "./routes/audit-routes";
import { authRoutes } from "./routes/auth-routes";
import { featuresRoutes } from "./routes/features-routes";
import { flagMetricsRoutes } from "./routes/flag-metrics-routes";
import { type MfaUseCases, mfaRoutes } from "./routes/mfa-routes";
import { permissionsRoutes } from "./routes/permissions-routes";
import { segmentsRoutes } from "./routes/segments-routes";
import { type SignupUseCases, signupRoutes } from "./routes/signup-routes";
import { type HealthCheck, systemRoutes } from "./routes/system-routes";
import { tenantsRoutes } from "./routes/tenants-routes";
import { unleashClientRoutes } from "./routes/unleash-client-routes";
import { unleashFrontendRoutes } from "./routes/unleash-frontend-routes";
import { usersRoutes } from "./routes/users-routes";
import { type WebhookUseCases, webhookApi } from "./routes/webhook-api";
import { makeSessionCookies, SESSION_COOKIE } from "./session-cookie";
import { frontendPreflight } from "./unleash/frontend-cors";
import "./string-formats";

export interface AppDeps {
  http: {
    baseDomain: string | null;
    trustedProxies: string[];
    maxBodyBytes: number;
    metricsToken: string | null;
    /** The API's own URL: its origin is trusted for cookie sessions, and decides the cookie's Secure. */
    publicUrl: string;
    corsOrigins: readonly string[];
    signupEnabled?: boolean;
  };
  /** How long a session cookie lives: the refresh token's lifetime. */
  refreshTokenTtlSeconds: number;
  logger: Logger;
  metrics: HttpMetrics;
  newId: () => string;
  describeError: (error: unknown) => string;
  /** Infrastructure failures callers should hear about (the database is down: 503), as domain errors. */
  translateError?: (error: unknown) => DomainError | null;
  healthChecks: Record<string, HealthCheck>;
  /** Health checks whose failure degrades the instance instead of taking it out of service. */
  optionalHealthChecks?: readonly string[];
  useCases: {
    login: ReturnType<typeof makeLogin>;
    refresh: ReturnType<typeof makeRefresh>;
    logoutByRefreshToken: LogoutByRefreshToken;
    sessions: RevokeSessions;
    listSessions: ReturnType<typeof makeListSessions>;
    changePassword: ReturnType<typeof makeChangePassword>;
    verification: EmailVerification;
    passwordReset: PasswordReset;
    emailChange: EmailChange;
    guard: AbuseGuard;
    manageTenants: ManageTenants;
    manageUsers: ManageUsers;
    manageFlags: ManageFlags;
    evaluateFlags: EvaluateFlags;
    readFlagMetrics: ReadFlagMetrics;
    flagDefinitions: Pick<FlagDefinitionsReader, "forTenant">;
    flagMetrics: Pick<FlagMetrics, "recordSdkCounts">;
    evaluateForFrontend: EvaluateForFrontend;
    manageSegments: ManageSegments;
    acceptInvitation: ReturnType<typeof makeAcceptInvitation>;
    permissions: EffectivePermissions;
    authorize: Authorize;
    listCatalog: typeof listCatalog;
    getRole: GetRole;
    editRole: EditRole;
    authenticate: Authenticate;
    tenants: TenantResolver;
    getCurrentUser: ReturnType<typeof makeGetCurrentUser>;
    readAuditLog: ReadAuditLog;
    verifyAuditChain: VerifyAuditChain;
    exportAuditLog: ExportAuditLog;
    recordDenial: RecordDenial;
    recordLockout: RecordLockout;
  } & ApiKeyUseCases &
    MfaUseCases &
    SignupUseCases &
    WebhookUseCases;
}

const DOCS_PATH = "/docs";

export function createApp(deps: AppDeps) {
  const { http, useCases } = deps;
  const auth = authPlugin({
    authenticate: useCases.authenticate,
    authorize: useCases.authorize,
    tenants: useCases.tenants,
    baseDomain: http.baseDomain,
  });
  const rateLimit = rateLimitPlugin(useCases.guard);
  const unleashKey = unleashKeyPlugin({ authenticateApiKey: useCases.authenticateApiKey });
  const signInTenant = signInTenantPlugin({ tenants: useCases.tenants, baseDomain: http.baseDomain });
  const cookies = makeSessionCookies({
    publicUrl: http.publicUrl,
    corsOrigins: http.corsOrigins,
    maxAgeSeconds: deps.refreshTokenTtlSeconds,
  });

  return new Elysia({
    // Reject unknown fields instead of silently dropping them; response shapes are built explicitly.
    normalize: false,
    // A backstop only: the json-body plugin answers oversized bodies with a problem+json 413. Bodies
    // past this size are refused by Bun itself, with a bare 413.
    serve: { maxRequestBodySize: Math.max(4 * http.maxBodyBytes, http.maxBodyBytes + 1_048_576) },
  })
    .use(securityHeadersPlugin(DOCS_PATH))
    .use(
      requestContextPlugin({
        logger: deps.logger,
        metrics: deps.metrics,
        trustedProxies: http.trustedProxies,
        newId: deps.newId,
      }),
    )
    .use(corsPlugin(http.corsOrigins, frontendPreflight))
    .use(
      denialAuditPlugin({
        recordDenial: useCases.recordDenial,
        recordLockout: useCases.recordLockout,
        logger: deps.logger,
        describeError: deps.describeError,
      }),
    )
    .use(errorsPlugin(deps.logger, deps.metrics, deps.describeError, deps.translateError))
    .use(jsonBodyPlugin(http.maxBodyBytes))
    .use(
      openApiDocument({
        path: DOCS_PATH,
        specPath: "/openapi.json",
        // The page is docs-page.ts: the plugin's own loads its assets from a CDN.
        provider: null,
        documentation: {
          info: {
            title: "SaaS backend API",
            version: "1",
            description: "Multi-tenant B2B SaaS backend",
            license: { name: "MIT", identifier: "MIT" },
          },
          // Relative: the API is served from wherever the document is.
          servers: [{ url: "/" }],
          components: {
            securitySchemes: {
              bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
              sessionCookie: { type: "apiKey", in: "cookie", name: SESSION_COOKIE },
            },
          },
        },
      }),
    )
    .use(docsPagePlugin({ path: DOCS_PATH, specPath: "/openapi.json", title: "SaaS backend API" }))
    .use(
      systemRoutes({
        checks: deps.healthChecks,
        optionalChecks: deps.optionalHealthChecks,
        logger: deps.logger,
        describeError: deps.describeError,
        registry: deps.metrics.registry,
        metricsToken: http.metricsToken,
      }),
    )
    .use(
      authRoutes({
        auth,
        rateLimit,
        signInTenant,
        login: useCases.login,
        refresh: useCases.refresh,
        sessions: useCases.sessions,
        tenants: useCases.tenants,
        baseDomain: http.baseDomain,
        cookies,
        cookieLogout: cookieLogoutPlugin(cookies, useCases.logoutByRefreshToken),
      }),
    )
    .use(
      usersRoutes({
        auth,
        getCurrentUser: useCases.getCurrentUser,
        listSessions: useCases.listSessions,
        sessions: useCases.sessions,
        changePassword: useCases.changePassword,
        emailChange: useCases.emailChange,
        rateLimit,
        manageUsers: useCases.manageUsers,
      }),
    )
    .use(
      accountRoutes({
        ...useCases,
        rateLimit,
        signInTenant,
        logger: deps.logger,
        describeError: deps.describeError,
      }),
    )
    .use(signupRoutes({ ...deps, ...useCases, rateLimit, signupEnabled: http.signupEnabled === true }))
    .use(
      tenantsRoutes({
        auth,
        tenants: useCases.manageTenants,
        users: useCases.manageUsers,
        resolveTenant: useCases.tenants,
      }),
    )
    .use(segmentsRoutes({ auth, segments: useCases.manageSegments }))
    .use(featuresRoutes({ auth, flags: useCases.manageFlags, evaluate: useCases.evaluateFlags }))
    .use(flagMetricsRoutes({ auth, readFlagMetrics: useCases.readFlagMetrics }))
    .use(
      unleashClientRoutes({
        unleashKey,
        definitions: useCases.flagDefinitions,
        metrics: useCases.flagMetrics,
      }),
    )
    .use(
      unleashFrontendRoutes({
        unleashKey,
        evaluate: useCases.evaluateForFrontend,
        metrics: useCases.flagMetrics,
      }),
    )
    .use(
      auditRoutes({
        auth,
        readAuditLog: useCases.readAuditLog,
        verifyAuditChain: useCases.verifyAuditChain,
        exportAuditLog: useCases.exportAuditLog,
        logger: deps.logger,
        describeError: deps.describeError,
      }),
    )
    .use(apiKeysRoutes({ auth, ...useCases }))
    .use(webhookApi({ auth, ...useCases }))
    .use(mfaRoutes({ auth, rateLimit, cookies, ...useCases }))
    .use(
      permissionsRoutes({
        auth,
        listCatalog: useCases.listCatalog,
        getRole: useCases.getRole,
        editRole: useCases.editRole,
      }),
    );
}

export type App = ReturnType<typeof createApp>;
