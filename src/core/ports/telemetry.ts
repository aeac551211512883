import type { AuditOutcome } from "../domain/audit";

/** How a sign-in ended: a locked account is refused before any password is checked. */
export type SignInOutcome = "success" | "failure" | "locked";

/** What one flag of an evaluation request came to. */
export type FlagEvaluationResult = "enabled" | "disabled" | "not_found";

export type MailOutcome = "sent" | "failed";

/**
 * Counts of domain events for operators (Prometheus in production). Every label takes its value from a
 * closed set, so what callers send can never grow the number of series. Calls are synchronous, cheap
 * enough for hot paths, and never throw.
 */
export interface Telemetry {
  signIn(outcome: SignInOutcome): void;
  /** `count` flags of one request came to `result`. */
  flagsEvaluated(result: FlagEvaluationResult, count: number): void;
  /** One audit event was committed. */
  auditAppended(outcome: AuditOutcome): void;
  /** A cache read of a key in `keyspace` (the key's first segment) found a value, or not. */
  cacheLookup(keyspace: string, hit: boolean): void;
  mailSend(outcome: MailOutcome): void;
}
