import { Elysia, t } from "elysia";
import type { makeLogin } from "../../core/usecases/auth/login";
import type { makeRefresh } from "../../core/usecases/auth/refresh";
import type { RevokeSessions } from "../../core/usecases/sessions/revoke-sessions";
import type { TenantResolver } from "../../core/usecases/tenants/resolve-tenant";
import type { AuthPlugin } from "../plugins/auth";
import type { RateLimitPlugin } from "../plugins/rate-limit";
import type { SignInTenantPlugin } from "../plugins/sign-in-tenant";
import { requestOrigin } from "../request-state";
import { models, problems } from "../schemas";
import { tenantSlugFromRequest } from "../tenant-slug";

export interface AuthRoutesDeps {
  auth: AuthPlugin;
  rateLimit: RateLimitPlugin;
  signInTenant: SignInTenantPlugin;
  login: ReturnType<typeof makeLogin>;
  refresh: ReturnType<typeof makeRefresh>;
  sessions: RevokeSessions;
  tenants: TenantResolver;
  baseDomain: string | null;
}

export function authRoutes({
  auth,
  rateLimit,
  signInTenant,
  login,
  refresh,
  sessions,
  tenants,
  baseDomain,
}: AuthRoutesDeps) {
  return new Elysia({ prefix: "/api/v1/auth", tags: ["auth"] })
    .use(models)
    .use(auth)
    .use(signInTenant)
    .use(rateLimit)
    .post(
      "/login",
      async ({ body, request, tenant }) =>
        login({ tenant, email: body.email, password: body.password }, requestOrigin(request)),
      {
        signInTenant: true,
        rateLimit: { bucket: "login", account: "email" },
        parse: "json",
        body: "LoginRequest",
        response: { 200: "TokenPair", ...problems(400, 401, 403, 404, 415, 422, 429) },
        detail: {
          summary: "Log in",
          description:
            "Exchanges email and password for an access token and a refresh token. The tenant is taken from the " +
            "host ({slug}.BASE_DOMAIN), else the X-Tenant header, else `tenant`, else the platform tenant.",
        },
      },
    )
    .post(
      "/refresh",
      async ({ body, request }) => {
        const origin = requestOrigin(request);
        const slug = tenantSlugFromRequest(request, baseDomain);
        const tenantId = slug ? (await tenants.activeBySlug(slug)).id : null;
        return refresh({ refreshToken: body.refreshToken, tenantId }, origin);
      },
      {
        rateLimit: "refresh",
        parse: "json",
        body: "RefreshRequest",
        response: { 200: "TokenPair", ...problems(400, 401, 403, 415, 422, 429) },
        detail: {
          summary: "Rotate a refresh token",
          description:
            "Returns a new token pair and retires the presented refresh token. Presenting a retired token after " +
            "REFRESH_REUSE_GRACE_SECONDS ends the whole session (401 REFRESH_TOKEN_REUSED).",
        },
      },
    )
    .post(
      "/logout",
      async ({ acting, status }) => {
        await sessions.logout(acting);
        return status(204, undefined);
      },
      {
        auth: true,
        response: { 204: t.Void(), ...problems(401, 403) },
        detail: { summary: "End the current session" },
      },
    );
}
