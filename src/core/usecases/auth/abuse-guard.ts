import type { RequestOrigin } from "../../domain/audit";
import { clientNetwork } from "../../domain/client-network";
import { RateLimitedError } from "../../domain/errors";
import { normalizeEmail } from "../../domain/user";
import type { Cache } from "../../ports/cache";
import type { RateLimiter, RateLimitRule } from "../../ports/rate-limiter";
import type { UnitOfWork } from "../../ports/repositories";

export type GuardedEndpoint =
  | "login"
  | "refresh"
  | "forgot_password"
  | "resend_verification"
  | "verify_email"
  | "reset_password"
  | "confirm_email"
  | "email_change";

/** The rate-limit key of an account on an endpoint: the tenant and the address as typed, existing or not. */
export function accountLimitKey(endpoint: GuardedEndpoint, tenantId: string, email: string): string {
  return `${endpoint}:account:${tenantId}:${normalizeEmail(email)}`;
}

export interface AbuseGuardDeps {
  rateLimiter: RateLimiter;
  cache: Cache;
  uow: UnitOfWork;
  perIp: RateLimitRule;
  perAccount: RateLimitRule;
}

export interface Requester {
  ip: string | null;
  /** With an email, the account is limited too. */
  tenantId?: string;
  email?: string;
}

/**
 * Limits the unauthenticated endpoints per client IP and per (tenant, email). The account key is
 * the address as typed, whether or not it exists, so a limit reveals nothing. The first refusal of
 * a window in a known tenant is audited; later ones in the same window only count in metrics.
 */
export function makeAbuseGuard({ rateLimiter, cache, uow, perIp, perAccount }: AbuseGuardDeps) {
  async function auditTrip(
    endpoint: GuardedEndpoint,
    scope: string,
    key: string,
    tenantId: string,
    retryAfter: number,
    origin: RequestOrigin,
  ) {
    if (!(await cache.add(`abuse-trip:${key}`, true, retryAfter))) return;
    await uow.transaction((repos) =>
      repos.audit.append(
        {
          tenantId,
          actor: { type: "user", id: null, display: origin.ip },
          action: "abuse.rate_limited",
          resource: { type: "endpoint", id: endpoint },
          outcome: "denied",
          metadata: { scope },
        },
        origin,
      ),
    );
  }

  return async function guard(
    endpoint: GuardedEndpoint,
    who: Requester,
    origin: RequestOrigin,
  ): Promise<void> {
    const checks: { scope: "ip" | "account"; key: string; rule: RateLimitRule }[] = [
      { scope: "ip", key: `${endpoint}:ip:${clientNetwork(who.ip)}`, rule: perIp },
    ];
    if (who.tenantId && who.email) {
      checks.push({
        scope: "account",
        key: accountLimitKey(endpoint, who.tenantId, who.email),
        rule: perAccount,
      });
    }
    for (const { scope, key, rule } of checks) {
      const decision = await rateLimiter.hit(key, rule);
      if (decision.allowed) continue;
      if (who.tenantId)
        await auditTrip(endpoint, scope, key, who.tenantId, decision.retryAfterSeconds, origin);
      throw new RateLimitedError(
        "RATE_LIMITED",
        "Too many requests; try again later.",
        decision.retryAfterSeconds,
        {
          endpoint,
          scope,
          limit: decision.limit,
          remaining: decision.remaining,
          resetSeconds: decision.resetSeconds,
        },
      );
    }
  };
}

export type AbuseGuard = ReturnType<typeof makeAbuseGuard>;
