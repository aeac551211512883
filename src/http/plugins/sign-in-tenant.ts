import { Elysia } from "elysia";
import type { TenantResolver } from "../../core/usecases/tenants/resolve-tenant";
import { slugForSignIn } from "../tenant-slug";

/**
 * The route option `signInTenant: true`, for routes called before signing in: resolves `tenant`,
 * the active tenant named by the host, X-Tenant or the body's `tenant` (see slugForSignIn).
 */
export function signInTenantPlugin({
  tenants,
  baseDomain,
}: {
  tenants: TenantResolver;
  baseDomain: string | null;
}) {
  return new Elysia({ name: "sign-in-tenant" }).macro({
    signInTenant: (_enabled: true) => ({
      async resolve({ body, request }) {
        const named = (body as { tenant?: string } | undefined)?.tenant;
        return { tenant: await tenants.activeBySlug(slugForSignIn(request, named, baseDomain)) };
      },
    }),
  });
}

export type SignInTenantPlugin = ReturnType<typeof signInTenantPlugin>;
