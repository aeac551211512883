import { ForbiddenError } from "../../core/domain/errors";

const isFrontendPath = (path: string) => path === "/api/frontend" || path.startsWith("/api/frontend/");

/** What unleash-proxy-client sends beyond the safelisted headers. */
const FRONTEND_REQUEST_HEADERS =
  "authorization, content-type, if-none-match, unleash-sdk, unleash-appname, unleash-connection-id";

/**
 * The answer to a browser's preflight of the frontend API. A preflight carries no key, so it cannot
 * know the key's origins: it allows the request to be sent from any origin, without credentials,
 * and the request itself is then answered to the key's origins only (`allowOrigin`).
 */
export function frontendPreflight(request: Request): Record<string, string> | null {
  const origin = request.headers.get("origin");
  if (!origin || !isFrontendPath(new URL(request.url).pathname)) return null;
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": "GET, POST",
    "access-control-allow-headers": FRONTEND_REQUEST_HEADERS,
    "access-control-max-age": "600",
    vary: "Origin",
  };
}

/**
 * CORS headers for a frontend key's request from `origin`: granted when the key lists the origin
 * (exactly, case-insensitively). From any other origin the request is refused (403
 * ORIGIN_NOT_ALLOWED), so a page elsewhere can neither read toggles nor post metrics with a key it
 * found. A request with no Origin (a server, a mobile app) needs none.
 */
export function frontendCorsHeaders(
  origin: string | null,
  allowedOrigins: readonly string[],
): Record<string, string> {
  if (!origin) return {};
  if (!allowedOrigins.includes(origin.toLowerCase())) {
    throw new ForbiddenError(
      "ORIGIN_NOT_ALLOWED",
      "This frontend key does not allow requests from this origin.",
    );
  }
  return { "access-control-allow-origin": origin, "access-control-expose-headers": "ETag", vary: "Origin" };
}
