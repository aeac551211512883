import type { AuditEvent } from "../domain/audit";
import type { AuditEventFilter } from "../domain/audit-query";

/** The two ends of a tenant's chain. */
export interface ChainBounds {
  /** The first seq the chain holds: 1, unless retention cut it. */
  firstSeq: number;
  /** The hash before the first event: the genesis hash, or the last hash retention cut. */
  prevHash: string;
  /** The last seq appended (`firstSeq - 1` when the chain holds nothing) and its hash. */
  lastSeq: number;
  lastHash: string;
}

export interface RetentionCut {
  /** The checkpoint the cut expects: when another cut moved it meanwhile, nothing is deleted. */
  expectedFirstSeq: number;
  /** The last event cut, and its hash (the next event's prev hash, kept as the checkpoint). */
  throughSeq: number;
  throughHash: string;
}

/** Reading a tenant's audit chain, and cutting its start for retention. Each call is one statement or transaction of its own. */
export interface AuditTrail {
  /** Newest first: up to `limit` matching events of the tenant with seq below `beforeSeq` (null: from the newest). */
  search(
    tenantId: string,
    filter: AuditEventFilter,
    page: { limit: number; beforeSeq: number | null },
  ): Promise<AuditEvent[]>;
  /** In chain order: up to `limit` events with `afterSeq < seq <= throughSeq`, within `from`/`to` when given. */
  range(
    tenantId: string,
    span: { afterSeq: number; throughSeq: number; from?: Date; to?: Date },
    limit: number,
  ): Promise<AuditEvent[]>;
  bounds(tenantId: string): Promise<ChainBounds>;
  /** Every tenant that has appended at least one event. */
  tenantIds(): Promise<string[]>;
  /**
   * The seq of the tenant's oldest event at or after `at` (null when none is): events before it are
   * older. Per tenant, event times increase with seq (the time is read under the chain lock).
   */
  firstSeqSince(tenantId: string, at: Date): Promise<number | null>;
  /**
   * Deletes the tenant's events through `throughSeq` and moves the checkpoint past them, in one
   * transaction. Returns how many were deleted, or null when the checkpoint was not where expected.
   */
  cut(tenantId: string, cut: RetentionCut): Promise<number | null>;
}
