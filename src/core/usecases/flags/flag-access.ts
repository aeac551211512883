import { ForbiddenError } from "../../domain/errors";
import type { Permission } from "../../domain/permissions";
import type { Principal } from "../auth/authenticate";
import type { Authorize } from "../auth/authorize";
import type { TenantRef } from "../tenants/resolve-tenant";

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
