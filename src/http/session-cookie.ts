import { UnauthorizedError } from "../core/domain/errors";
import type { TokenPair } from "../core/usecases/auth/token-issuer";
import { requireCsrfProof } from "./csrf-proof";

/** The cookie that holds a browser's refresh token, sent only to the auth endpoints. */
export const SESSION_COOKIE = "refresh_token";
export const SESSION_COOKIE_PATH = "/api/v1/auth";

// What our refresh tokens look like (base64url); anything else in the cookie is not one of ours.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{1,256}$/;
const LOOPBACK_HOST = /^(?:localhost|[^.]+(?:\.[^.]+)*\.localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/**
 * Whether the cookie needs `Secure`: always, except when PUBLIC_URL is plain HTTP on a loopback host
 * (localhost, *.localhost, 127.x.x.x, [::1]), where browsers would not store it otherwise. Decided
 * from configuration, not per request: behind a proxy the request's own scheme is not the user's.
 */
export function needsSecureCookie(publicUrl: string): boolean {
  const url = new URL(publicUrl);
  return url.protocol !== "http:" || !LOOPBACK_HOST.test(url.hostname);
}

function cookieLine(value: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    `Path=${SESSION_COOKIE_PATH}`,
    `Max-Age=${maxAgeSeconds}`,
    "HttpOnly",
    ...(secure ? ["Secure"] : []),
    "SameSite=Lax",
  ].join("; ");
}

/**
 * The refresh token the request's cookie holds, or null without one. Two cookies of that name mean
 * one was planted (a sibling subdomain can set a cookie for a longer path, which browsers send
 * first): refused rather than guessed at.
 */
export function sessionCookieOf(request: Request): string | null {
  const values = (request.headers.get("cookie") ?? "")
    .split(";")
    .map((pair) => pair.trim())
    .filter((pair) => pair.startsWith(`${SESSION_COOKIE}=`))
    .map((pair) => pair.slice(SESSION_COOKIE.length + 1));
  if (values.length === 0) return null;
  const [value] = values;
  if (values.length > 1 || value === undefined || !TOKEN_SHAPE.test(value)) {
    throw new UnauthorizedError("INVALID_REFRESH_TOKEN", "The session cookie is not valid; log in again.");
  }
  return value;
}

export interface SessionCookieOptions {
  publicUrl: string;
  /** The browser origins allowed by CORS; with the API's own, the origins trusted as CSRF proof. */
  corsOrigins: readonly string[];
  /** The refresh token's lifetime, REFRESH_TOKEN_TTL_SECONDS. */
  maxAgeSeconds: number;
}

/** Access tokens in the body, the refresh token in the cookie. */
export type CookieSessionTokens = Omit<TokenPair, "refreshToken">;

/**
 * Cookie sessions for browser apps: the refresh token lives in an HttpOnly cookie scoped to the auth
 * endpoints, out of reach of scripts, and a request that relies on it must prove it was sent by one
 * of our pages (csrf-proof.ts).
 */
export function makeSessionCookies({ publicUrl, corsOrigins, maxAgeSeconds }: SessionCookieOptions) {
  const secure = needsSecureCookie(publicUrl);
  const trustedOrigins = new Set([new URL(publicUrl).origin, ...corsOrigins]);
  return {
    /** The cookie's refresh token, once the request has shown it comes from a trusted page. */
    presented(request: Request): string | null {
      const token = sessionCookieOf(request);
      if (token !== null) requireCsrfProof(request.headers, trustedOrigins);
      return token;
    },
    /** Puts the refresh token in the cookie and takes it out of the body. */
    deliver(pair: TokenPair, set: { headers: Record<string, unknown> }): CookieSessionTokens {
      const { refreshToken, ...tokens } = pair;
      set.headers["set-cookie"] = cookieLine(refreshToken, maxAgeSeconds, secure);
      return tokens;
    },
    clear(set: { headers: Record<string, unknown> }): void {
      set.headers["set-cookie"] = cookieLine("", 0, secure);
    },
  };
}

export type SessionCookies = ReturnType<typeof makeSessionCookies>;
