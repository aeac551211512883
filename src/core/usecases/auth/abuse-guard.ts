import type { RequestOrigin } from "../../domain/audit";
import { clientNetwork } from "../../domain/client-network";
import { RateLimitedError } from "../../domain/errors";
import { normalizeEmail } from "../../domain/user";
import type { RateLimiter, RateLimitRule } from "../../ports/rate-limiter";
import type { RecordRateLimitTrip } from "../audit/record-rate-limit-trip";

export type GuardedEndpoint =
  | "login"
  | "refresh"
  | "forgot_password"
  | "resend_verification"
  | "verify_email"
  | "reset_password"
  | "confirm_email"
  | "email_change"
  | "signup"
  | "find_tenants"
  /** Looking up a presented API key that no cache knows: what guessing keys costs the database. */
  | "api_key_lookup";

/**
 * The rate-limit key of an account on an endpoint: the tenant and the address as typed, existing or
 * not; without a tenant (sign-up, finding one's workspaces), the address in every tenant.
 */
export function accountLimitKey(endpoint: GuardedEndpoint, tenantId: string | null, email: string): string {
  return `${endpoint}:account:${tenantId ?? "*"}:${normalizeEmail(email)}`;
}

export interface AbuseGuardDeps {
  rateLimiter: RateLimiter;
  recordTrip: RecordRateLimitTrip;
  perIp: RateLimitRule;
  perAccount: RateLimitRule;
}

export interface Requester {
  ip: string | null;
  /** With an email, the account is limited too: in this tenant, or without one across tenants. */
  tenantId?: string;
  email?: string;
}

/**
 * Limits the unauthenticated endpoints per client IP and per (tenant, email). The account key is
 * the address as typed, whether or not it exists, so a limit reveals nothing. Every refusal is
 * recorded, coalesced per limiter key and minute; one on an endpoint without a tenant goes to the
 * platform tenant's log.
 */
export function makeAbuseGuard({ rateLimiter, recordTrip, perIp, perAccount }: AbuseGuardDeps) {
  return async function guard(
    endpoint: GuardedEndpoint,
    who: Requester,
    origin: RequestOrigin,
  ): Promise<void> {
    const checks: { scope: "ip" | "account"; key: string; rule: RateLimitRule }[] = [
      { scope: "ip", key: `${endpoint}:ip:${clientNetwork(who.ip)}`, rule: perIp },
    ];
    if (who.email) {
      checks.push({
        scope: "account",
        key: accountLimitKey(endpoint, who.tenantId ?? null, who.email),
        rule: perAccount,
      });
    }
    for (const { scope, key, rule } of checks) {
      const decision = await rateLimiter.hit(key, rule);
      if (decision.allowed) continue;
      await recordTrip({ endpoint, scope, limitKey: key, tenantId: who.tenantId ?? null }, origin);
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
