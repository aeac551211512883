import { Elysia } from "elysia";
import type { LogoutByRefreshToken } from "../../core/usecases/auth/logout-by-refresh-token";
import { requestOrigin } from "../request-state";
import type { SessionCookies } from "../session-cookie";

/**
 * The route option `cookieLogout`, listed before `auth`: a request carrying the session cookie (and
 * the CSRF proof) ends the cookie's session and clears the cookie, bearer token or not, and answers
 * 204 before `auth` runs; a browser whose access token expired can still sign out. Without the
 * cookie, `auth` takes over. A resolver that returns a status ends the request with it.
 */
export function cookieLogoutPlugin(cookies: SessionCookies, logoutByRefreshToken: LogoutByRefreshToken) {
  return new Elysia({ name: "cookie-logout" }).macro({
    cookieLogout: (_enabled: true) => ({
      detail: { security: [{ sessionCookie: [] }] },
      async resolve({ request, set, status }) {
        const refreshToken = cookies.presented(request);
        if (refreshToken === null) return {};
        await logoutByRefreshToken(refreshToken, requestOrigin(request));
        cookies.clear(set);
        return status(204, undefined);
      },
    }),
  });
}

export type CookieLogoutPlugin = ReturnType<typeof cookieLogoutPlugin>;
