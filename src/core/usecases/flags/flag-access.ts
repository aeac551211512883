import type { Acting } from "../../domain/acting";
import { type DataScope, platformScope, scopeOf } from "../../domain/data-scope";
import type { Permission } from "../../domain/permissions";
import type { Authorize } from "../auth/authorize";
import { requirePermission } from "../auth/require-permission";

/**
 * Refuses unless the principal holds `permission` and, when the flags are another tenant's or
 * platform-wide, platform:flags as well.
 */
export async function requireFlagAccess(
  authorize: Authorize,
  acting: Acting,
  permission: Permission,
  platformWide = false,
): Promise<void> {
  await requirePermission(authorize, acting, permission);
  if (platformWide || acting.tenant.id !== acting.home.id) {
    await requirePermission(authorize, acting, "platform:flags");
  }
}

type Scoped = { tenantId: string | null };

/**
 * Where a write to a flag or segment of `tenantId` runs: the tenant acted on for its own (the only
 * tenant `visibleTo` lets through), the platform scope for a platform-wide one (null), which only
 * platform work may write and whose checks (dependents, users of a segment) span every tenant.
 */
export function writeScope(acting: Acting, tenantId: string | null): DataScope {
  return tenantId === null ? platformScope("platform-wide flags") : scopeOf(acting);
}

/** The flag or segment when it is the acting tenant's or platform-wide; another tenant's is not found. */
export function visibleTo<T extends Scoped>(acting: Acting, record: T | null, notFound: () => Error): T {
  if (!record || (record.tenantId !== null && record.tenantId !== acting.tenant.id)) throw notFound();
  return record;
}

/**
 * The flag or segment if the principal may change it: flags:write (checked before the lookup, so a
 * caller without it learns nothing), and platform:flags as well for a platform-wide one.
 */
export async function writableBy<T extends Scoped>(
  authorize: Authorize,
  acting: Acting,
  find: () => Promise<T | null>,
  notFound: () => Error,
): Promise<T> {
  await requireFlagAccess(authorize, acting, "flags:write");
  const record = visibleTo(acting, await find(), notFound);
  if (record.tenantId === null) await requirePermission(authorize, acting, "platform:flags");
  return record;
}
