import { Elysia } from "elysia";
import type { PermissionGroup } from "../../core/domain/permissions";
import type { EditRole } from "../../core/usecases/roles/edit-role";
import type { GetRole } from "../../core/usecases/roles/get-role";
import { permissionModels, RoleParams, RolePermissionParams } from "../permissions-schemas";
import type { AuthPlugin } from "../plugins/auth";
import { models, problems } from "../schemas";

export interface PermissionsRoutesDeps {
  auth: AuthPlugin;
  listCatalog: () => PermissionGroup[];
  getRole: GetRole;
  editRole: EditRole;
}

const escalation =
  "Only roles below your own, only permissions you hold yourself, never platform permissions: else 403 " +
  "ROLE_ESCALATION. Unknown permissions are 422 UNKNOWN_PERMISSION, unknown roles 404 ROLE_NOT_FOUND.";

export function permissionsRoutes({ auth, listCatalog, getRole, editRole }: PermissionsRoutesDeps) {
  return new Elysia({ prefix: "/api/v1/permissions", tags: ["permissions"] })
    .use(models)
    .use(permissionModels)
    .use(auth)
    .get("", () => ({ items: listCatalog() }), {
      auth: true,
      response: { 200: "PermissionCatalog", ...problems(401, 403, 404) },
      detail: { summary: "The permission catalog, grouped by resource" },
    })
    .get("/roles/:role", ({ acting, params }) => getRole(acting, params.role), {
      permission: "roles:read",
      params: RoleParams,
      response: { 200: "RolePermissions", ...problems(401, 403, 404, 422) },
      detail: {
        summary: "A role's permissions in your tenant",
        description: "Its own grants (the catalog defaults until customised) and its effective permissions.",
      },
    })
    .put(
      "/roles/:role",
      ({ acting, params, body }) =>
        editRole.replaceRole(acting, { role: params.role, permissions: body.permissions }),
      {
        permission: "roles:manage",
        parse: "json",
        params: RoleParams,
        body: "ReplaceRolePermissionsRequest",
        response: { 200: "RolePermissions", ...problems(400, 401, 403, 404, 413, 415, 422) },
        detail: {
          summary: "Replace a role's own permissions",
          description: `The role keeps inheriting the permissions of the roles below it. ${escalation}`,
        },
      },
    )
    .post(
      "/roles/:role/permissions",
      ({ acting, params, body }) =>
        editRole.addPermission(acting, { role: params.role, permission: body.permission }),
      {
        permission: "roles:manage",
        parse: "json",
        params: RoleParams,
        body: "AddRolePermissionRequest",
        response: { 200: "RolePermissions", ...problems(400, 401, 403, 404, 413, 415, 422) },
        detail: {
          summary: "Grant a role a permission",
          description: `Granting one the role already has changes nothing. ${escalation}`,
        },
      },
    )
    .delete(
      "/roles/:role/permissions/:permission",
      ({ acting, params }) =>
        editRole.removePermission(acting, { role: params.role, permission: params.permission }),
      {
        permission: "roles:manage",
        params: RolePermissionParams,
        response: { 200: "RolePermissions", ...problems(401, 403, 404, 422) },
        detail: {
          summary: "Take a permission from a role",
          description:
            "Removes it from the role's own grants; the role still has it while a role below it does. " +
            escalation,
        },
      },
    );
}
