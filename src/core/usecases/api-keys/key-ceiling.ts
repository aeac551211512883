import type { Principal, TenantRef } from "../../domain/acting";
import { tenantRoles } from "../../domain/role-grants";
import type { Role } from "../../domain/roles";

/**
 * The role whose grants bound what a key may hold: its creator's role, or, for an operator at the
 * CLI (who may do anything), the highest role of the key's tenant.
 */
export function ceilingRole(creator: Pick<Principal, "kind" | "role">, tenant: TenantRef): Role {
  return creator.kind === "cli" ? tenantRoles(tenant.slug).at(-1)! : creator.role;
}
