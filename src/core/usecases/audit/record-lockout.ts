import type { Actor, RequestOrigin } from "../../domain/audit";
import { coalescingKey } from "../../domain/audit-coalescing";
import type { CoalescedAudit } from "./coalesced-audit";

export interface LockoutRefusal {
  tenantId: string;
  /** The account as the caller named it: the address typed at login, or the signed-in user. */
  actor: Actor;
  /** Where the lock refused: "login", or the change that asked for the current password. */
  endpoint: string;
}

/**
 * Records a request refused because the account is locked (429 LOGIN_LOCKED) as
 * `auth.login.locked`, coalesced per (tenant, account, endpoint) and minute: a locked account keeps
 * being tried, and each try must not cost an event.
 */
export function makeRecordLockout({ audit }: { audit: Pick<CoalescedAudit, "record"> }) {
  return async function recordLockout(refusal: LockoutRefusal, origin: RequestOrigin): Promise<void> {
    const { tenantId, actor, endpoint } = refusal;
    await audit.record(
      coalescingKey("auth.login.locked", tenantId, actor.type, actor.id ?? actor.display, endpoint),
      {
        tenantId,
        actor,
        action: "auth.login.locked",
        resource: { type: "endpoint", id: endpoint },
        outcome: "denied",
        metadata: { code: "LOGIN_LOCKED" },
      },
      origin,
    );
  };
}

export type RecordLockout = ReturnType<typeof makeRecordLockout>;
