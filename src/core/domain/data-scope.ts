import type { Acting } from "./acting";

/**
 * Why a unit of work may see every tenant's rows. The list is closed on purpose: each cross-tenant
 * path has a name here, so a review sees it, and the database session carries it
 * (`current_setting('app.platform')`).
 */
export type PlatformPurpose =
  | "tenant administration"
  | "platform-wide flags"
  | "maintenance"
  | "audit across tenants"
  | "webhook delivery"
  | "sign-up"
  | "seed"
  | "background jobs"
  | "metrics";

/** The kinds of secret whose hash names the one tenant that owns it. */
export type SecretKind = "refresh_token" | "one_time_token" | "api_key" | "mfa_challenge";

/**
 * Which rows a unit of work may touch. The database enforces it with row-level security: the
 * repositories filter by tenant, and the database filters again behind them.
 * - `tenant`: one tenant's rows; the acting context's tenant (`scopeOf`) or one resolved before anyone acts.
 * - `secret`: the rows of the tenant that owns a presented secret, found by the database from its
 *   hash before any other statement (no tenant when no secret matches).
 * - `anonymous`: no tenant's rows; only the tenant directory (slugs, status), for requests that
 *   have not named a tenant yet.
 * - `platform`: every tenant's rows, for a named purpose.
 */
export type DataScope =
  | { readonly kind: "tenant"; readonly tenantId: string }
  | { readonly kind: "secret"; readonly secret: SecretKind; readonly hash: string }
  | { readonly kind: "anonymous" }
  | { readonly kind: "platform"; readonly purpose: PlatformPurpose };

export function tenantScope(tenantId: string): DataScope {
  return { kind: "tenant", tenantId };
}

/** The tenant acted on, as the acting context says. */
export function scopeOf(acting: Pick<Acting, "tenant">): DataScope {
  return { kind: "tenant", tenantId: acting.tenant.id };
}

export function secretScope(secret: SecretKind, hash: string): DataScope {
  return { kind: "secret", secret, hash };
}

export const anonymousScope: DataScope = { kind: "anonymous" };

export function platformScope(purpose: PlatformPurpose): DataScope {
  return { kind: "platform", purpose };
}
