import { Elysia } from "elysia";
import { ForbiddenError } from "../../core/domain/errors";
import { PLATFORM_TENANT_SLUG } from "../../core/domain/tenant";
import type { makeLogin } from "../../core/usecases/auth/login";
import type { TenantResolver } from "../../core/usecases/tenants/resolve-tenant";
import { requestOrigin, requestState } from "../request-state";
import { models, problems } from "../schemas";
import { tenantSlugFromRequest } from "../tenant-slug";

export interface AuthRoutesDeps {
  login: ReturnType<typeof makeLogin>;
  tenants: TenantResolver;
  baseDomain: string | null;
}

/** Host or header first, then the body's `tenant`; with none named, the platform tenant. */
function loginTenantSlug(
  request: Request,
  bodyTenant: string | undefined,
  baseDomain: string | null,
): string {
  const named = tenantSlugFromRequest(request, baseDomain);
  if (named && bodyTenant && named !== bodyTenant) {
    throw new ForbiddenError(
      "TENANT_MISMATCH",
      "The tenant in the body differs from the one the request names.",
    );
  }
  return named ?? bodyTenant ?? PLATFORM_TENANT_SLUG;
}

export function authRoutes({ login, tenants, baseDomain }: AuthRoutesDeps) {
  return new Elysia({ prefix: "/api/v1/auth", tags: ["auth"] }).use(models).post(
    "/login",
    async ({ body, request }) => {
      const tenant = await tenants.activeBySlug(loginTenantSlug(request, body.tenant, baseDomain));
      const state = requestState(request);
      if (state) state.tenantId = tenant.id;
      return login({ tenant, email: body.email, password: body.password }, requestOrigin(request));
    },
    {
      parse: "json",
      body: "LoginRequest",
      response: { 200: "TokenPair", ...problems(400, 401, 403, 404, 415, 422) },
      detail: {
        summary: "Log in",
        description:
          "Exchanges email and password for an access token and a refresh token. The tenant is taken from the " +
          "host ({slug}.BASE_DOMAIN), else the X-Tenant header, else `tenant`, else the platform tenant.",
      },
    },
  );
}
