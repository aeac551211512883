import type { Actor, RequestOrigin } from "../../domain/audit";
import { coalescingKey } from "../../domain/audit-coalescing";
import { anonymousScope } from "../../domain/data-scope";
import { PLATFORM_TENANT_SLUG } from "../../domain/tenant";
import type { UnitOfWork } from "../../ports/repositories";
import type { CoalescedAudit } from "./coalesced-audit";

export interface RateLimitTrip {
  /** What is limited: an endpoint ("login") or an action ("invitation"). */
  endpoint: string;
  /** Which of its limits refused: "ip", "account", "caller", "tenant", ... */
  scope: string;
  /** The limiter's key that refused: the trips of one key are coalesced together. */
  limitKey: string;
  /** The tenant the request acted in; null where none is known (the platform tenant's log has it). */
  tenantId: string | null;
  /** Who was refused; by default an anonymous caller, named by their address. */
  actor?: Actor;
}

export interface RecordRateLimitTripDeps {
  audit: Pick<CoalescedAudit, "record">;
  /** Finds the platform tenant, once, in the tenant directory (readable before any tenant is known). */
  uow: Pick<UnitOfWork, "transaction">;
}

/**
 * Records a request refused by a rate limit as `abuse.rate_limited`, coalesced per limiter key and
 * minute. Any use of a limiter calls it before throwing its RateLimitedError. A trip without a
 * tenant (an endpoint that names none, like refresh) is recorded in the platform tenant's log, the
 * operators' own; before the platform tenant exists (an unseeded database) it is not recorded.
 */
export function makeRecordRateLimitTrip({ audit, uow }: RecordRateLimitTripDeps) {
  let platformTenantId: string | undefined;
  async function platformTenant(): Promise<string | null> {
    platformTenantId ??= (
      await uow.transaction(anonymousScope, (repos) => repos.tenants.findBySlug(PLATFORM_TENANT_SLUG))
    )?.id;
    return platformTenantId ?? null;
  }

  return async function recordRateLimitTrip(trip: RateLimitTrip, origin: RequestOrigin): Promise<void> {
    const tenantId = trip.tenantId ?? (await platformTenant());
    if (!tenantId) return;
    await audit.record(
      coalescingKey("abuse.rate_limited", tenantId, trip.endpoint, trip.scope, trip.limitKey),
      {
        tenantId,
        actor: trip.actor ?? { type: "user", id: null, display: origin.ip },
        action: "abuse.rate_limited",
        resource: { type: "endpoint", id: trip.endpoint },
        outcome: "denied",
        metadata: trip.tenantId ? { scope: trip.scope } : { scope: trip.scope, tenantless: true },
      },
      origin,
    );
  };
}

export type RecordRateLimitTrip = ReturnType<typeof makeRecordRateLimitTrip>;
