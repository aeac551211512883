import { Elysia } from "elysia";
import type { Acting, Principal, TenantRef } from "../../core/domain/acting";
import { ForbiddenError, UnauthorizedError } from "../../core/domain/errors";
import type { Permission } from "../../core/domain/permissions";
import type { Authenticate } from "../../core/usecases/auth/authenticate";
import type { Authorize } from "../../core/usecases/auth/authorize";
import { requirePerson } from "../../core/usecases/auth/person-only";
import { requirePermission } from "../../core/usecases/auth/require-permission";
import type { TenantResolver } from "../../core/usecases/tenants/resolve-tenant";
import { assertEnrolmentRoute } from "../mfa-enrolment-scope";
import { requestOrigin } from "../request-state";
import { tenantSlugFromRequest } from "../tenant-slug";

export interface AuthPluginDeps {
  authenticate: Authenticate;
  authorize: Authorize;
  tenants: TenantResolver;
  baseDomain: string | null;
}

/** An access token (a JWT: three base64url parts) or an API key (`sk_` and base64url). */
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+|[a-z]{2}_[A-Za-z0-9_-]{1,200})$/i;

function bearerToken(header: string | undefined): string {
  const match = header?.match(BEARER);
  if (!match?.[1]) throw new UnauthorizedError("INVALID_TOKEN", "A bearer access token is required.");
  return match[1];
}

/**
 * Route options `auth: true` (any signed-in user or API key), `person: true` (a signed-in user, never
 * a key) and `permission: "<resource:action>"`. Each resolves
 * `acting` (what every use case takes first) and, from it, `principal`, `home` (the caller's tenant,
 * where permissions are evaluated) and `tenant` (the one acted on), and mark the route as needing a
 * bearer token in the OpenAPI document. The caller is resolved before any refusal of theirs, so the
 * denial audit finds them in the context.
 */
export function authPlugin({ authenticate, authorize, tenants, baseDomain }: AuthPluginDeps) {
  /** The caller and their own tenant (`home`, where their permissions hold). */
  async function caller(request: Request): Promise<{ principal: Principal; home: TenantRef }> {
    const token = bearerToken(request.headers.get("authorization") ?? undefined);
    const principal = await authenticate(token, requestOrigin(request));
    const home = await tenants.activeById(principal.tenantId);
    // Enforced here, for every route at once: a session that may only enrol a second factor.
    if (principal.mfaEnrollmentRequired) assertEnrolmentRoute(request);
    return { principal, home };
  }

  /**
   * The tenant the request acts on: the one named by host or header, else the caller's own. Only a
   * platform admin holding platform:users may name another tenant.
   */
  async function actingOf(
    request: Request,
    { principal, home }: { principal: Principal; home: TenantRef },
  ): Promise<{ tenant: TenantRef; acting: Acting }> {
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
    return { tenant, acting: { principal, home, tenant, origin: requestOrigin(request) } };
  }

  const detail = { security: [{ bearerAuth: [] }] };

  // Resolvers must be declared async: Elysia awaits a hook only when it is an async function, and a
  // plain function returning a promise would let the handler run before authentication failed.
  // Elysia runs a route's resolvers in order and its beforeHandle hooks after them.
  return new Elysia({ name: "auth" }).macro({
    /** The first step of `auth`: who calls. Routes say `auth` or `permission`. */
    caller: (_enabled: true) => ({
      async resolve({ request }) {
        return caller(request);
      },
    }),
    auth: (_enabled: true) => ({
      detail,
      caller: true,
      // Destructured, never passed on whole: Elysia reads a hook's source to decide what each
      // request must parse, and a context handed to a function makes it parse headers, cookies and
      // the query on every request.
      async resolve(context) {
        const { request, principal, home } = context as unknown as {
          request: Request;
          principal: Principal;
          home: TenantRef;
        };
        return actingOf(request, { principal, home });
      },
    }),
    /** `auth`, and refuses an API key (403 PERSON_ONLY): for what only makes sense for a person. */
    person: (_enabled: true) => ({
      auth: true,
      // Synchronous: it only refuses (by throwing, which Elysia catches whether or not it awaits),
      // and resolves nothing, so it costs no await and no merge into the context.
      beforeHandle(context) {
        const { principal } = context as unknown as { principal: Principal };
        requirePerson(principal);
      },
    }),
    permission: (permission: Permission) => ({
      auth: true,
      async beforeHandle(context) {
        const { acting } = context as unknown as { acting: Acting };
        await requirePermission(authorize, acting, permission);
      },
    }),
  });
}

export type AuthPlugin = ReturnType<typeof authPlugin>;
