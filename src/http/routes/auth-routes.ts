import { Elysia, t } from "elysia";
import type { AbuseGuard } from "../../core/usecases/auth/abuse-guard";
import type { makeLogin } from "../../core/usecases/auth/login";
import type { makeRefresh } from "../../core/usecases/auth/refresh";
import type { RevokeSessions } from "../../core/usecases/sessions/revoke-sessions";
import type { TenantResolver } from "../../core/usecases/tenants/resolve-tenant";
import type { AuthPlugin } from "../plugins/auth";
import { requestOrigin, requestState } from "../request-state";
import { models, problems } from "../schemas";
import { slugForSignIn, tenantSlugFromRequest } from "../tenant-slug";

export interface AuthRoutesDeps {
  auth: AuthPlugin;
  login: ReturnType<typeof makeLogin>;
  refresh: ReturnType<typeof makeRefresh>;
  sessions: RevokeSessions;
  guard: AbuseGuard;
  tenants: TenantResolver;
  baseDomain: string | null;
}

export function authRoutes({ auth, login, refresh, sessions, guard, tenants, baseDomain }: AuthRoutesDeps) {
  return new Elysia({ prefix: "/api/v1/auth", tags: ["auth"] })
    .use(models)
    .use(auth)
    .post(
      "/login",
      async ({ body, request }) => {
        const tenant = await tenants.activeBySlug(slugForSignIn(request, body.tenant, baseDomain));
        const state = requestState(request);
        if (state) state.tenantId = tenant.id;
        const origin = requestOrigin(request);
        await guard("login", { ip: origin.ip, tenantId: tenant.id, email: body.email }, origin);
        return login({ tenant, email: body.email, password: body.password }, origin);
      },
      {
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
        await guard("refresh", { ip: origin.ip }, origin);
        const slug = tenantSlugFromRequest(request, baseDomain);
        const tenantId = slug ? (await tenants.activeBySlug(slug)).id : null;
        return refresh({ refreshToken: body.refreshToken, tenantId }, origin);
      },
      {
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
