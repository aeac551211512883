import { and, eq, sql } from "drizzle-orm";
import { isPermission, type Permission } from "../../../core/domain/permissions";
import type { StoredGrants } from "../../../core/domain/role-grants";
import type { Role } from "../../../core/domain/roles";
import type { RolePermissionRepository } from "../../../core/ports/repositories";
import type { Database } from "../database";
import { roleCustomisations, rolePermissions } from "../schema";

export function rolePermissionRepository(db: Database): RolePermissionRepository {
  return {
    async grantsOf(tenantId, role) {
      const rows = await db
        .select({ role: roleCustomisations.role, permission: rolePermissions.permission })
        .from(roleCustomisations)
        .leftJoin(
          rolePermissions,
          and(
            eq(rolePermissions.tenantId, roleCustomisations.tenantId),
            eq(rolePermissions.role, roleCustomisations.role),
          ),
        )
        .where(
          and(
            eq(roleCustomisations.tenantId, tenantId),
            role ? eq(roleCustomisations.role, role) : undefined,
          ),
        );
      const grants: Partial<Record<Role, Permission[]>> = {};
      for (const row of rows) {
        grants[row.role] ??= [];
        // A permission since removed from the catalog grants nothing.
        if (row.permission !== null && isPermission(row.permission)) grants[row.role]?.push(row.permission);
      }
      return grants satisfies StoredGrants;
    },

    async replace(tenantId, role, permissions) {
      await db
        .insert(roleCustomisations)
        .values({ tenantId, role })
        .onConflictDoUpdate({
          target: [roleCustomisations.tenantId, roleCustomisations.role],
          set: { updatedAt: sql`now()` },
        });
      await db
        .delete(rolePermissions)
        .where(and(eq(rolePermissions.tenantId, tenantId), eq(rolePermissions.role, role)));
      if (permissions.length > 0) {
        await db
          .insert(rolePermissions)
          .values(permissions.map((permission) => ({ tenantId, role, permission })));
      }
    },

    async lock(tenantId) {
      await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`role_permissions:${tenantId}`}))`);
    },
  };
}
