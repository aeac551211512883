import { Elysia, t } from "elysia";
import { PERMISSIONS, type Permission } from "../core/domain/permissions";
import { ROLES } from "../core/domain/roles";

const PermissionName = t.UnionEnum(PERMISSIONS as [Permission, ...Permission[]]);
const RequestedPermission = t.String({ minLength: 1, maxLength: 64, description: "resource:action" });
const RoleName = t.String({ minLength: 1, maxLength: 64 });

export const PermissionCatalogSchema = t.Object(
  {
    items: t.Array(
      t.Object({
        resource: t.String({ description: "the part of the permission before the colon" }),
        permissions: t.Array(
          t.Object({
            name: PermissionName,
            description: t.String(),
            defaultRole: t.UnionEnum(ROLES, { description: "the lowest role that holds it by default" }),
            platform: t.Boolean({ description: "held only by super_admin of the platform tenant" }),
          }),
        ),
      }),
    ),
  },
  { additionalProperties: false },
);

export const RolePermissionsSchema = t.Object(
  {
    role: t.UnionEnum(ROLES),
    customised: t.Boolean({ description: "false while the role holds the catalog defaults" }),
    permissions: t.Array(PermissionName, { description: "the role's own grants, what PUT replaces" }),
    effective: t.Array(PermissionName, {
      description: "its own grants and those of the roles below it, as permission checks see them",
    }),
  },
  { additionalProperties: false },
);

export const ReplaceRolePermissionsRequestSchema = t.Object(
  { permissions: t.Array(RequestedPermission, { maxItems: 100 }) },
  { additionalProperties: false },
);

export const AddRolePermissionRequestSchema = t.Object(
  { permission: RequestedPermission },
  { additionalProperties: false },
);

export const RoleParams = t.Object({ role: RoleName });
export const RolePermissionParams = t.Object({
  role: RoleName,
  permission: RequestedPermission,
});

export const permissionModels = new Elysia({ name: "permission-models" }).model({
  PermissionCatalog: PermissionCatalogSchema,
  RolePermissions: RolePermissionsSchema,
  ReplaceRolePermissionsRequest: ReplaceRolePermissionsRequestSchema,
  AddRolePermissionRequest: AddRolePermissionRequestSchema,
});
