import { Elysia, t } from "elysia";
import { pageRequest } from "../../core/domain/pagination";
import { TENANT_STATUSES, type TenantAction } from "../../core/domain/tenant";
import type { ManageTenants } from "../../core/usecases/tenants/manage-tenants";
import type { TenantResolver } from "../../core/usecases/tenants/resolve-tenant";
import type { ManageUsers } from "../../core/usecases/users/manage-users";
import type { AuthPlugin } from "../plugins/auth";
import { presentTenant, presentUser } from "../presenters";
import {
  models,
  optionalChoice,
  PageQuery,
  problems,
  StatusChangeRequestSchema,
  TenantIdParams,
} from "../schemas";

export interface TenantsRoutesDeps {
  auth: AuthPlugin;
  tenants: ManageTenants;
  users: ManageUsers;
  resolveTenant: TenantResolver;
}

export function tenantsRoutes({ auth, tenants, users, resolveTenant }: TenantsRoutesDeps) {
  return new Elysia({ prefix: "/api/v1/tenants", tags: ["tenants"] })
    .use(models)
    .use(auth)
    .get(
      "",
      async ({ acting, query }) => {
        const page = await tenants.list(acting, {
          filter: { status: query.status },
          page: pageRequest(query.limit, query.cursor),
        });
        return { items: page.items.map(presentTenant), nextCursor: page.nextCursor };
      },
      {
        permission: "tenants:read",
        query: t.Object({
          status: optionalChoice(TENANT_STATUSES),
          ...PageQuery,
        }),
        response: { 200: "TenantList", ...problems(401, 403, 422) },
        detail: { summary: "List tenants (platform)" },
      },
    )
    .post(
      "",
      async ({ acting, body, status }) => status(201, presentTenant(await tenants.create(acting, body))),
      {
        permission: "tenants:create",
        parse: "json",
        body: "CreateTenantRequest",
        response: { 201: "Tenant", ...problems(400, 401, 403, 409, 415, 422) },
        detail: { summary: "Create a tenant (platform)" },
      },
    )
    .get("/:id", async ({ acting, params }) => presentTenant(await tenants.get(acting, params.id)), {
      auth: true,
      params: TenantIdParams,
      response: { 200: "Tenant", ...problems(401, 403, 404, 422) },
      detail: { summary: "A tenant: any with tenants:read, your own with tenant:read" },
    })
    .put(
      "/:id",
      async ({ acting, params, body }) =>
        presentTenant(await tenants.update(acting, { id: params.id, patch: body })),
      {
        auth: true,
        parse: "json",
        params: TenantIdParams,
        body: "UpdateTenantRequest",
        response: { 200: "Tenant", ...problems(400, 401, 403, 404, 409, 415, 422) },
        detail: {
          summary: "Update a tenant",
          description:
            "Platform admins change any field; a tenant's admins change their own tenant's name and settings.",
        },
      },
    )
    .post(
      "/:id/users",
      async ({ acting, params, body, status }) => {
        const tenant = await resolveTenant.activeById(params.id);
        const user = await users.create({ ...acting, tenant }, body);
        return status(201, presentUser(user));
      },
      {
        permission: "platform:users",
        parse: "json",
        params: TenantIdParams,
        body: "CreateUserRequest",
        response: { 201: "User", ...problems(400, 401, 403, 404, 409, 415, 422, 429) },
        detail: {
          summary: "Create a user in a tenant (platform)",
          description: "As POST /users, within the same invitation limits (429 RATE_LIMITED).",
        },
      },
    )
    .use(statusRoute("suspend"))
    .use(statusRoute("activate"))
    .use(statusRoute("cancel"));

  /** One route per status change, each a literal path in the app's type (a loop would erase them). */
  function statusRoute<A extends TenantAction>(action: A) {
    return new Elysia({ tags: ["tenants"] })
      .use(models)
      .use(auth)
      .post(
        `/:id/${action}`,
        async ({ acting, params, body }) =>
          presentTenant(await tenants.changeStatus(acting, { id: params.id, action, reason: body?.reason })),
        {
          permission: "tenants:status",
          // No parse: "json" here: the body is optional, and a bodiless POST must not be a parse error.
          params: TenantIdParams,
          body: t.Optional(StatusChangeRequestSchema),
          response: { 200: "Tenant", ...problems(400, 401, 403, 404, 409, 415, 422) },
          detail: {
            summary: `${action[0]!.toUpperCase()}${action.slice(1)} a tenant (platform)`,
            description:
              "active <-> suspended; active or suspended -> cancelled, which is final (409 INVALID_TRANSITION otherwise).",
          },
        },
      );
  }
}
