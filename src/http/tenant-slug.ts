import { NotFoundError } from "../core/domain/errors";

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

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
      if (SLUG.test(label)) return label;
    }
  }
  const header = request.headers.get("x-tenant")?.trim().toLowerCase();
  if (!header) return null;
  if (!SLUG.test(header)) throw new NotFoundError("TENANT_NOT_FOUND", "No tenant matches the request.");
  return header;
}
