import { type PermissionGroup, permissionCatalog } from "../../domain/permissions";

/** Every permission there is, grouped by resource. */
export function listCatalog(): PermissionGroup[] {
  return permissionCatalog();
}
