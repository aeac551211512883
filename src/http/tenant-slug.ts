import { ForbiddenError, NotFoundError } from "../core/domain/errors";
import { PLATFORM_TENANT_SLUG, SLUG_PATTERN } from "../core/domain/tenant";

/**
 * The tenant a request names: the `{slug}.{baseDomain}` host when a base domain is configured, else
 * the X-Tenant header. Null when it names none (the token's tenant then applies). A header that is
 * not a slug names no tenant that can exist: 404.
 */
export function tenantSlugFromRequest(request: Request, baseDomain: string | null): string | null {
  if (baseDomain) {
    const host = new URL(request.url).hostname.toLowerCase();
    const suffix = `.${baseDomain}`;
    if (host.endsWith(suffix)) {
      const label = host.slice(0, -suffix.length);
      if (SLUG_PATTERN.test(label)) return label;
    }
  }
  const header = request.headers.get("x-tenant")?.trim().toLowerCase();
  if (!header) return null;
  if (!SLUG_PATTERN.test(header))
    throw new NotFoundError("TENANT_NOT_FOUND", "No tenant matches the request.");
  return header;
}

/**
 * The tenant of a request made before signing in (login, forgot password, resend verification):
 * the host or X-Tenant first, then the body's `tenant`, else the platform tenant. A body that
 * contradicts the host or header is refused.
 */
export function slugForSignIn(
  request: Request,
  bodyTenant: string | undefined,
  baseDomain: string | null,
): string {
  const named = tenantSlugFromRequest(request, baseDomain);
  if (named && bodyTenant && named !== bodyTenant) {
    throw new ForbiddenError(
      "TENANT_MISMATCH",
      "The tenant in the body differs from the one the request names.",
    );
  }
  return named ?? bodyTenant ?? PLATFORM_TENANT_SLUG;
}
