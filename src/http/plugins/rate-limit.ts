import { Elysia } from "elysia";
import type { TenantRef } from "../../core/domain/acting";
import type { AbuseGuard, GuardedEndpoint } from "../../core/usecases/auth/abuse-guard";
import { requestOrigin } from "../request-state";

/**
 * The route option `rateLimit`: the bucket the route's calls count against, per client IP. With
 * `account`, the (tenant, address) named by that body field is limited too; the tenant is the one an
 * earlier option resolved (`signInTenant`, `auth`), so `rateLimit` comes after it. Routes naming
 * the same bucket share its counters.
 */
export type RateLimitOption =
  | GuardedEndpoint
  | { bucket: GuardedEndpoint; account: "email" | "newEmail" }
  /** Before any tenant is known (sign-up, finding one's workspaces): the address across tenants. */
  | { bucket: GuardedEndpoint; address: "email" };

export function rateLimitPlugin(guard: AbuseGuard) {
  return new Elysia({ name: "rate-limit" }).macro({
    rateLimit: (option: RateLimitOption) => ({
      async resolve(context) {
        // Destructured (see the auth plugin): what a hook names is all Elysia parses for it.
        const { request, body, tenant } = context as unknown as {
          request: Request;
          body: unknown;
          tenant?: TenantRef;
        };
        const origin = requestOrigin(request);
        if (typeof option === "string") {
          await guard(option, { ip: origin.ip }, origin);
          return;
        }
        const fields = body as Record<string, string | undefined> | undefined;
        if ("address" in option) {
          await guard(option.bucket, { ip: origin.ip, email: fields?.[option.address] }, origin);
          return;
        }
        if (!tenant) throw new Error(`rateLimit on ${option.bucket} needs the tenant resolved before it`);
        const email = fields?.[option.account];
        await guard(option.bucket, { ip: origin.ip, tenantId: tenant.id, email }, origin);
      },
    }),
  });
}

export type RateLimitPlugin = ReturnType<typeof rateLimitPlugin>;
