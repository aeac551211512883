import type { Principal, TenantRef } from "../../domain/acting";
import { ForbiddenError } from "../../domain/errors";
import type { Permission } from "../../domain/permissions";
import type { Authorize } from "../auth/authorize";

/** Who acts (`actor`, holding permissions in `home`) on which tenant's flags (`tenant`). */
export interface FlagActing {
  actor: Principal;
  home: TenantRef;
  tenant: TenantRef;
}

const forbidden = (permission: Permission) =>
  new ForbiddenError("FORBIDDEN", `This action needs the ${permission} permission.`);

/**
 * Refuses unless the actor holds `permission` and, when the flags are another tenant's or
 * platform-wide, platform:flags as well.
 */
export async function requireFlagAccess(
  authorize: Authorize,
  { actor, home, tenant }: FlagActing,
  permission: Permission,
  platformWide = false,
): Promise<void> {
  if (!(await authorize(actor, home, permission))) throw forbidden(permission);
  if ((platformWide || tenant.id !== home.id) && !(await authorize(actor, home, "platform:flags"))) {
    throw forbidden("platform:flags");
  }
}

type Scoped = { tenantId: string | null };

/** The flag or segment when it is the acting tenant's or platform-wide; another tenant's is not found. */
export function visibleTo<T extends Scoped>(acting: FlagActing, record: T | null, notFound: () => Error): T {
  if (!record || (record.tenantId !== null && record.tenantId !== acting.tenant.id)) throw notFound();
  return record;
}

/**
 * The flag or segment if the actor may change it: flags:write (checked before the lookup, so a
 * caller without it learns nothing), and platform:flags as well for a platform-wide one.
 */
export async function writableBy<T extends Scoped>(
  authorize: Authorize,
  acting: FlagActing,
  find: () => Promise<T | null>,
  notFound: () => Error,
): Promise<T> {
  await requireFlagAccess(authorize, acting, "flags:write");
  const record = visibleTo(acting, await find(), notFound);
  if (record.tenantId === null && !(await authorize(acting.actor, acting.home, "platform:flags"))) {
    throw forbidden("platform:flags");
  }
  return record;
}
