import type { Acting } from "../../domain/acting";
import { ForbiddenError } from "../../domain/errors";
import type { Permission } from "../../domain/permissions";
import type { Authorize } from "./authorize";

export const missingPermission = (permission: Permission) =>
  new ForbiddenError("FORBIDDEN", `This action needs the ${permission} permission.`);

/** Refuses unless the principal holds `permission` in their home tenant, where their grants are. */
export async function requirePermission(
  authorize: Authorize,
  acting: Pick<Acting, "principal" | "home">,
  permission: Permission,
): Promise<void> {
  if (!(await authorize(acting.principal, acting.home, permission))) throw missingPermission(permission);
}
