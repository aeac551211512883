import { Elysia, t } from "elysia";
import { UnauthorizedError } from "../../core/domain/errors";
import type { makeLogin } from "../../core/usecases/auth/login";
import type { makeRefresh } from "../../core/usecases/auth/refresh";
import type { RevokeSessions } from "../../core/usecases/sessions/revoke-sessions";
import type { TenantResolver } from "../../core/usecases/tenants/resolve-tenant";
import { mfaModels } from "../mfa-schemas";
import type { AuthPlugin } from "../plugins/auth";
import type { CookieLogoutPlugin } from "../plugins/cookie-logout";
import type { RateLimitPlugin } from "../plugins/rate-limit";
import type { SignInTenantPlugin } from "../plugins/sign-in-tenant";
import { requestOrigin } from "../request-state";
import { models, problems, RefreshRequestSchema } from "../schemas";
import { SESSION_COOKIE, type SessionCookies } from "../session-cookie";
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
  cookies: SessionCookies;
  cookieLogout: CookieLogoutPlugin;
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
  cookies,
  cookieLogout,
}: AuthRoutesDeps) {
  return new Elysia({ prefix: "/api/v1/auth", tags: ["auth"] })
    .use(models)
    .use(mfaModels)
    .use(auth)
    .use(signInTenant)
    .use(rateLimit)
    .use(cookieLogout)
    .post(
      "/login",
      async ({ body, request, tenant, set }) => {
        const cookieSession = body.session === "cookie";
        const result = await login(
          { tenant, email: body.email, password: body.password, cookieSession },
          requestOrigin(request),
        );
        // A user with a second factor gets a challenge and no tokens (nor cookie) yet.
        if ("mfaToken" in result) return result;
        return cookieSession ? cookies.deliver(result, set) : result;
      },
      {
        signInTenant: true,
        rateLimit: { bucket: "login", account: "email" },
        parse: "json",
        body: "LoginRequest",
        response: { 200: "SignInResult", ...problems(400, 401, 403, 404, 415, 422, 429) },
        detail: {
          summary: "Log in",
          description:
            "Exchanges email and password for an access token and a refresh token. The tenant is taken from the " +
            "host ({slug}.BASE_DOMAIN), else the X-Tenant header, else `tenant`, else the platform tenant. With " +
            '`"session": "cookie"` the refresh token is not in the body: it is set as the cookie `refresh_token` ' +
            "(HttpOnly, SameSite=Lax, Path=/api/v1/auth, Max-Age=REFRESH_TOKEN_TTL_SECONDS; Secure unless " +
            "PUBLIC_URL is plain HTTP on localhost). A user with two-factor sign-in gets `{mfaRequired, mfaToken, " +
            "methods}` and no tokens: finish at POST /api/v1/auth/mfa/verify. A user whose tenant requires a second " +
            "factor they lack gets tokens marked `mfaEnrollmentRequired: true`: that session may only enrol one.",
        },
      },
    )
    .post(
      "/refresh",
      async ({ body, request, set }) => {
        const origin = requestOrigin(request);
        // The body's token when there is a body (as before cookie sessions), else the cookie's.
        const fromCookie = body === undefined ? cookies.presented(request) : null;
        const refreshToken = body?.refreshToken ?? fromCookie;
        if (!refreshToken) {
          throw new UnauthorizedError(
            "REFRESH_TOKEN_REQUIRED",
            "Send the refresh token in the body, or the session cookie with its CSRF proof.",
          );
        }
        const slug = tenantSlugFromRequest(request, baseDomain);
        const tenantId = slug ? (await tenants.activeBySlug(slug)).id : null;
        const pair = await refresh({ refreshToken, tenantId }, origin);
        return fromCookie === null ? pair : cookies.deliver(pair, set);
      },
      {
        rateLimit: "refresh",
        parse: "json",
        body: t.Optional(RefreshRequestSchema),
        response: { 200: "TokenPair", ...problems(400, 401, 403, 415, 422, 429) },
        detail: {
          summary: "Rotate a refresh token",
          description:
            "Returns a new token pair and retires the presented refresh token. Presenting a retired token after " +
            "REFRESH_REUSE_GRACE_SECONDS ends the whole session (401 REFRESH_TOKEN_REUSED). Without a body, the " +
            "`refresh_token` cookie is rotated instead (the new access token in the body, the new refresh token in " +
            "the cookie); such a request must carry an Origin in CORS_ORIGINS or PUBLIC_URL's and an " +
            "X-Requested-With header, else 403 CSRF_REJECTED.",
          parameters: [
            {
              in: "cookie",
              name: SESSION_COOKIE,
              required: false,
              schema: { type: "string" },
              description: 'the refresh token of a cookie session (login with `"session": "cookie"`)',
            },
          ],
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
        // A logout by cookie looks its token up as a refresh does: it counts in the same bucket.
        rateLimit: "refresh",
        cookieLogout: true,
        auth: true,
        response: { 204: t.Void(), ...problems(401, 403) },
        detail: {
          summary: "End the current session",
          description:
            "Ends the session of the `refresh_token` cookie when the request carries it (with the CSRF proof " +
            "refresh asks for) and clears the cookie; else the bearer token's session.",
        },
      },
    );
}
