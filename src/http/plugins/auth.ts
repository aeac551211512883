import { Elysia } from "elysia";
import type { Acting, Principal, TenantRef } from "../../core/domain/acting";
import { ForbiddenError, UnauthorizedError } from "../../core/domain/errors";
import type { Permission } from "../../core/domain/permissions";
import type { Authenticate } from "../../core/usecases/auth/authenticate";
import type { Authorize } from "../../core/usecases/auth/authorize";
import { requirePermission } from "../../core/usecases/auth/require-permission";
import type { TenantResolver } from "../../core/usecases/tenants/resolve-tenant";
import { requestOrigin, requestState } from "../request-state";
import { tenantSlugFromRequest } from "../tenant-slug";

export interface AuthPluginDeps {
  authenticate: Authenticate;
  authorize: Authorize;
  tenants: TenantResolver;
  baseDomain: string | null;
}

function bearerToken(header: string | undefined): string {
  const match = header?.match(/^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i);
  if (!match?.[1]) throw new UnauthorizedError("INVALID_TOKEN", "A bearer access token is required.");
  return match[1];
}

/**
 * Route options `auth: true` (any signed-in user) and `permission: "<resource:action>"`. Both resolve
 * `acting` (what every use case takes first) and, from it, `principal`, `home` (the caller's tenant,
 * where permissions are evaluated) and `tenant` (the one acted on).
 */
export function authPlugin({ authenticate, authorize, tenants, baseDomain }: AuthPluginDeps) {
  /**
   * The caller, their own tenant (`home`, where their permissions hold) and the tenant the request
   * acts on: the one named by host or header, else their own. Only a platform admin holding
   * platform:users may name another tenant.
   */
  async function signedIn(
    request: Request,
  ): Promise<{ principal: Principal; home: TenantRef; tenant: TenantRef; acting: Acting }> {
    const principal = await authenticate(bearerToken(request.headers.get("authorization") ?? undefined));
    const home = await tenants.activeById(principal.tenantId);
    const state = requestState(request);
    if (state) Object.assign(state, { tenantId: home.id, userId: principal.userId, principal });
    const slug = tenantSlugFromRequest(request, baseDomain);
    const foreign = slug !== null && slug !== home.slug;
    // Checked before the named tenant is looked up: to anyone else, every other tenant answers the
    // same, existing or not, active or not.
    if (foreign && !(await authorize(principal, home, "platform:users"))) {
      throw new ForbiddenError(
        "TENANT_MISMATCH",
        "The token belongs to another tenant than the one requested.",
      );
    }
    const tenant = foreign ? await tenants.activeBySlug(slug) : home;
    if (state) state.tenantId = tenant.id;
    const acting: Acting = { principal, home, tenant, origin: requestOrigin(request) };
    return { principal, home, tenant, acting };
  }

  // Every route that takes either option says so in the OpenAPI document.
  const detail = { security: [{ bearerAuth: [] }] };

  return new Elysia({ name: "auth" }).macro({
    // Resolvers must be declared async: Elysia awaits a hook only when it is an async function, and a
    // plain function returning a promise would let the handler run before authentication failed.
    auth: (_enabled: true) => ({
      detail,
      async resolve({ request }) {
        return signedIn(request);
      },
    }),
    permission: (permission: Permission) => ({
      detail,
      async resolve({ request }) {
        const context = await signedIn(request);
        await requirePermission(authorize, context, permission);
        return context;
      },
    }),
  });
}

export type AuthPlugin = ReturnType<typeof authPlugin>;
