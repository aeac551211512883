import { actorOf, type Principal } from "../../domain/acting";
import type { RequestOrigin } from "../../domain/audit";
import { RateLimitedError } from "../../domain/errors";
import type { RateLimiter, RateLimitRule } from "../../ports/rate-limiter";
import type { RecordRateLimitTrip } from "../audit/record-rate-limit-trip";

export interface InvitationLimitDeps {
  rateLimiter: Pick<RateLimiter, "hit">;
  recordTrip: RecordRateLimitTrip;
  perUser: RateLimitRule;
  perTenant: RateLimitRule;
}

/**
 * Creating a user mails an address the caller types (an invitation, or a verification link), so
 * without a bound one admin could have the platform mail anyone, as often as they like. Each caller
 * and each tenant may create only so many users per window. The caller's own limit is counted first:
 * a refused request costs nothing, so a caller past their limit cannot spend the tenant's allowance
 * and lock the other admins out. An operator at the CLI is the platform itself and is not limited.
 */
export function makeInvitationLimit({ rateLimiter, recordTrip, perUser, perTenant }: InvitationLimitDeps) {
  return async function assertMayInvite(
    actor: Principal,
    tenantId: string,
    origin: RequestOrigin,
  ): Promise<void> {
    if (actor.kind === "cli") return;
    const checks = [
      { scope: "caller", key: `invitation:caller:${actor.kind ?? "user"}:${actor.userId}`, rule: perUser },
      { scope: "tenant", key: `invitation:tenant:${tenantId}`, rule: perTenant },
    ] as const;
    for (const { scope, key, rule } of checks) {
      const decision = await rateLimiter.hit(key, rule);
      if (decision.allowed) continue;
      await recordTrip(
        { endpoint: "invitation", scope, limitKey: key, tenantId, actor: actorOf(actor) },
        origin,
      );
      throw new RateLimitedError(
        "RATE_LIMITED",
        scope === "caller"
          ? "You have created too many users for now; try again later."
          : "Too many users were created in this tenant for now; try again later.",
        decision.retryAfterSeconds,
        {
          endpoint: "invitation",
          scope,
          limit: decision.limit,
          remaining: decision.remaining,
          resetSeconds: decision.resetSeconds,
        },
      );
    }
  };
}

export type InvitationLimit = ReturnType<typeof makeInvitationLimit>;
