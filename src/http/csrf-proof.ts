import { ForbiddenError } from "../core/domain/errors";

/**
 * The header a request using the session cookie must carry (any non-empty value; browser apps send
 * `X-Requested-With: fetch`). An HTML form cannot set a header, and a script on another origin can
 * set it only after a CORS preflight, which only CORS_ORIGINS pass.
 */
export const CSRF_HEADER = "X-Requested-With";

/**
 * Whether a request that the browser sends with the session cookie attached was sent by one of our
 * own pages. Two proofs, both required: the `Origin` header (which browsers set on every POST and
 * pages cannot forge) names a trusted origin, and the custom header is present. SameSite=Lax keeps
 * the cookie off cross-site POSTs already; these close the gap left by sibling subdomains (same
 * site, other origin) and by browsers without SameSite.
 */
export function hasCsrfProof(headers: Headers, trustedOrigins: ReadonlySet<string>): boolean {
  const origin = headers.get("origin");
  return origin !== null && trustedOrigins.has(origin) && Boolean(headers.get(CSRF_HEADER)?.trim());
}

export function requireCsrfProof(headers: Headers, trustedOrigins: ReadonlySet<string>): void {
  if (!hasCsrfProof(headers, trustedOrigins)) {
    throw new ForbiddenError(
      "CSRF_REJECTED",
      `A request using the session cookie must come from a trusted Origin and carry the ${CSRF_HEADER} header.`,
    );
  }
}
