import type { AuditOutcome } from "./audit";
import { type FieldProblem, ValidationError } from "./errors";
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from "./pagination";

/** What a reader asks of the log; every field optional. Times are instants (from inclusive, to exclusive). */
export interface AuditQuery {
  /** An exact action (`auth.login.failed`) or a prefix ending in `.*` (`auth.*`). */
  action?: string;
  actorId?: string;
  resourceType?: string;
  resourceId?: string;
  outcome?: AuditOutcome;
  from?: Date;
  to?: Date;
}

/** A checked query, as the log is searched with it. */
export interface AuditEventFilter {
  action?: { exact: string } | { prefix: string };
  actorId?: string;
  resourceType?: string;
  resourceId?: string;
  outcome?: AuditOutcome;
  from?: Date;
  to?: Date;
}

const ACTION = /^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*$/;
const ACTION_PREFIX = /^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*\.\*$/;
const OUTCOMES: readonly AuditOutcome[] = ["success", "failure", "denied"];
const MAX_TEXT = 200;

function invalid(problems: FieldProblem[]): ValidationError {
  return new ValidationError("INVALID_AUDIT_FILTER", "The audit log filter is not valid.", problems);
}

/** Checks a query and turns it into a filter; any problem is a 422 INVALID_AUDIT_FILTER naming the fields. */
export function auditFilter(query: AuditQuery): AuditEventFilter {
  const problems: FieldProblem[] = [];
  const filter: AuditEventFilter = {};
  if (query.action !== undefined) {
    if (ACTION_PREFIX.test(query.action) && query.action.length <= MAX_TEXT) {
      filter.action = { prefix: query.action.slice(0, -1) };
    } else if (ACTION.test(query.action) && query.action.length <= MAX_TEXT) {
      filter.action = { exact: query.action };
    } else {
      problems.push({
        field: "action",
        message: "An action (auth.login.failed) or a prefix ending in .* (auth.*).",
      });
    }
  }
  for (const field of ["actorId", "resourceType", "resourceId"] as const) {
    const value = query[field];
    if (value === undefined) continue;
    if (value.length === 0 || value.length > MAX_TEXT) {
      problems.push({ field, message: `1 to ${MAX_TEXT} characters.` });
    } else filter[field] = value;
  }
  if (query.outcome !== undefined) {
    if (OUTCOMES.includes(query.outcome)) filter.outcome = query.outcome;
    else problems.push({ field: "outcome", message: `One of ${OUTCOMES.join(", ")}.` });
  }
  for (const field of ["from", "to"] as const) {
    const value = query[field];
    if (value === undefined) continue;
    if (Number.isNaN(value.getTime())) problems.push({ field, message: "Not a valid instant." });
    else filter[field] = value;
  }
  if (filter.from && filter.to && filter.from.getTime() > filter.to.getTime()) {
    problems.push({ field: "to", message: "Must not be before from." });
  }
  if (problems.length > 0) throw invalid(problems);
  return filter;
}

/** A page size: 50 by default, 1 to 200. */
export function auditPageLimit(limit: number | undefined): number {
  if (limit === undefined) return PAGE_LIMIT_DEFAULT;
  if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_LIMIT_MAX) {
    throw invalid([{ field: "limit", message: `An integer from 1 to ${PAGE_LIMIT_MAX}.` }]);
  }
  return limit;
}

/**
 * Cursors of the newest-first listing: the seq of the last event of the previous page. Seqs never
 * change once given, so a cursor stays valid while new events arrive.
 */
export const auditCursor = {
  encode(seq: number): string {
    return Buffer.from(`seq:${seq}`).toString("base64url");
  },
  decode(cursor: string): number {
    const match = /^seq:([1-9]\d{0,15})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!match?.[1]) {
      throw new ValidationError("INVALID_CURSOR", "The cursor is not one this API issued.", [
        { field: "cursor", message: "Not a cursor from a previous page." },
      ]);
    }
    return Number(match[1]);
  },
};
