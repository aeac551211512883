import { Counter, type Registry } from "prom-client";
import type { AuditOutcome } from "../../core/domain/audit";
import type { FlagEvaluationResult, MailOutcome, SignInOutcome, Telemetry } from "../../core/ports/telemetry";

/**
 * Labelled children made once per label value: an increment then neither hashes labels nor allocates.
 * Each starts at 0, so its series exists (and rates have a start) before its first event.
 */
function childrenOf<V extends string>(counter: Counter<string>, values: readonly V[]) {
  const children = {} as Record<V, Counter.Internal>;
  for (const value of values) {
    children[value] = counter.labels(value);
    children[value].inc(0);
  }
  return children;
}

/** The domain counters of the Telemetry port, registered on `registry`. */
export function prometheusTelemetry(registry: Registry): Telemetry {
  const registers = [registry];
  const signIns = childrenOf(
    new Counter({
      name: "auth_sign_ins_total",
      help: "Sign-in attempts by outcome (success, failure: bad credentials, locked: refused while locked out)",
      labelNames: ["outcome"],
      registers,
    }),
    ["success", "failure", "locked"] satisfies SignInOutcome[],
  );
  const evaluations = childrenOf(
    new Counter({
      name: "feature_flag_evaluations_total",
      help: "Feature flags evaluated, by result (enabled, disabled, not_found)",
      labelNames: ["result"],
      registers,
    }),
    ["enabled", "disabled", "not_found"] satisfies FlagEvaluationResult[],
  );
  const audits = childrenOf(
    new Counter({
      name: "audit_events_appended_total",
      help: "Audit events committed to the log, by the outcome they record (success, failure, denied)",
      labelNames: ["outcome"],
      registers,
    }),
    ["success", "failure", "denied"] satisfies AuditOutcome[],
  );
  const mails = childrenOf(
    new Counter({
      name: "mail_sends_total",
      help: "Emails handed to the mail driver (SendGrid or the outbox file), by outcome (sent, failed)",
      labelNames: ["outcome"],
      registers,
    }),
    ["sent", "failed"] satisfies MailOutcome[],
  );
  const cacheHits = new Counter({
    name: "cache_hits_total",
    help: "Cache reads that found a value, by keyspace",
    labelNames: ["keyspace"],
    registers,
  });
  const cacheMisses = new Counter({
    name: "cache_misses_total",
    help: "Cache reads that found nothing (or could not reach the cache), by keyspace",
    labelNames: ["keyspace"],
    registers,
  });
  // The callers name a closed set of keyspaces (see counted-cache.ts); children are made on first use.
  const cacheChildren = new Map<string, { hit: Counter.Internal; miss: Counter.Internal }>();

  return {
    signIn(outcome) {
      signIns[outcome].inc();
    },
    flagsEvaluated(result, count) {
      if (count > 0) evaluations[result].inc(count);
    },
    auditAppended(outcome) {
      audits[outcome].inc();
    },
    cacheLookup(keyspace, hit) {
      let children = cacheChildren.get(keyspace);
      if (!children) {
        children = { hit: cacheHits.labels(keyspace), miss: cacheMisses.labels(keyspace) };
        cacheChildren.set(keyspace, children);
      }
      (hit ? children.hit : children.miss).inc();
    },
    mailSend(outcome) {
      mails[outcome].inc();
    },
  };
}
