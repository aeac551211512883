import type { Acting } from "../../domain/acting";
import {
  type ChainPosition,
  checkSegment,
  checkTail,
  type InvalidEvent,
} from "../../domain/audit-verification";
import type { AuditTrail } from "../../ports/audit-trail";
import type { AuditScopes } from "./audit-scope";

export interface ChainVerification {
  valid: boolean;
  /** Events found valid, from the start of the chain up to the first invalid one. */
  checked: number;
  firstInvalid?: InvalidEvent;
}

const BATCH = 1_000;
/** A retention cut that moves the chain's start during a walk makes the walk start again, this often at most. */
const ATTEMPTS = 3;

async function walk(trail: AuditTrail, tenantId: string, batchSize: number) {
  const bounds = await trail.bounds(tenantId);
  let position: ChainPosition = { nextSeq: bounds.firstSeq, prevHash: bounds.prevHash };
  let checked = 0;
  for (;;) {
    const events = await trail.range(
      tenantId,
      { afterSeq: position.nextSeq - 1, throughSeq: bounds.lastSeq },
      batchSize,
    );
    const segment = checkSegment(position, events);
    checked += segment.checked;
    if (segment.firstInvalid) return { bounds, checked, firstInvalid: segment.firstInvalid };
    position = segment.position;
    if (events.length < batchSize) break;
  }
  const tail = checkTail(position, bounds);
  return { bounds, checked, firstInvalid: tail ?? undefined };
}

/**
 * Walks a tenant's chain from its checkpoint to the head it had when the walk began, batch by
 * batch, and reports the first event that breaks it. Events appended meanwhile are left for the next
 * walk. A break that coincides with retention moving the chain's start is checked again.
 */
export async function verifyChain(
  trail: AuditTrail,
  tenantId: string,
  batchSize = BATCH,
): Promise<ChainVerification> {
  for (let attempt = 1; ; attempt++) {
    const { bounds, checked, firstInvalid } = await walk(trail, tenantId, batchSize);
    if (!firstInvalid) return { valid: true, checked };
    const moved = (await trail.bounds(tenantId)).firstSeq !== bounds.firstSeq;
    if (!moved || attempt === ATTEMPTS) return { valid: false, checked, firstInvalid };
  }
}

/** Verifies the caller's tenant's chain, or another tenant's for platform admins (a recorded read). */
export function makeVerifyAuditChain({ trail, scope }: { trail: AuditTrail; scope: AuditScopes }) {
  return async function verifyAuditChain(
    acting: Acting,
    request: { tenantId?: string },
  ): Promise<ChainVerification> {
    const target = await scope.resolve(acting, request.tenantId);
    await scope.recordRead(acting, target, "audit.verified", {});
    return verifyChain(trail, target.tenantId);
  };
}

export type VerifyAuditChain = ReturnType<typeof makeVerifyAuditChain>;
