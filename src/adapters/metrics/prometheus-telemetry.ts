import type { Registry } from "prom-client";
import type { AuditOutcome } from "../../core/domain/audit";
import type { FlagEvaluationResult, MailOutcome, SignInOutcome, Telemetry } from "../../core/ports/telemetry";
import { type TalliedCounter, talliedCounter } from "./tallied-metrics";

/** One series per label value, made once, each exposed from 0 on (so rates have a start). */
function seriesOf<V extends string>(counter: TalliedCounter, label: string, values: readonly V[]) {
  const series = {} as Record<V, { inc(by?: number): void }>;
  for (const value of values) series[value] = counter.series({ [label]: value });
  return series;
}

/** The domain counters of the Telemetry port, registered on `registry`. */
export function prometheusTelemetry(registry: Registry): Telemetry {
  const signIns = seriesOf(
    talliedCounter(registry, {
      name: "auth_sign_ins_total",
      help: "Sign-in attempts by outcome (success, failure: bad credentials, locked: refused while locked out)",
      labelNames: ["outcome"],
    }),
    "outcome",
    ["success", "failure", "locked"] satisfies SignInOutcome[],
  );
  const evaluations = seriesOf(
    talliedCounter(registry, {
      name: "feature_flag_evaluations_total",
      help: "Feature flags evaluated, by result (enabled, disabled, not_found)",
      labelNames: ["result"],
    }),
    "result",
    ["enabled", "disabled", "not_found"] satisfies FlagEvaluationResult[],
  );
  const audits = seriesOf(
    talliedCounter(registry, {
      name: "audit_events_appended_total",
      help: "Audit events committed to the log, by the outcome they record (success, failure, denied)",
      labelNames: ["outcome"],
    }),
    "outcome",
    ["success", "failure", "denied"] satisfies AuditOutcome[],
  );
  const mails = seriesOf(
    talliedCounter(registry, {
      name: "mail_sends_total",
      help: "Emails handed to the mail driver (SendGrid or the outbox file), by outcome (sent, failed)",
      labelNames: ["outcome"],
    }),
    "outcome",
    ["sent", "failed"] satisfies MailOutcome[],
  );
  const cacheHits = talliedCounter(registry, {
    name: "cache_hits_total",
    help: "Cache reads that found a value, by keyspace",
    labelNames: ["keyspace"],
  });
  const cacheMisses = talliedCounter(registry, {
    name: "cache_misses_total",
    help: "Cache reads that found nothing (or could not reach the cache), by keyspace",
    labelNames: ["keyspace"],
  });
  // The callers name a closed set of keyspaces (see counted-cache.ts); children are made on first use.
  const cacheChildren = new Map<string, { hit: { inc(): void }; miss: { inc(): void } }>();

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
        children = { hit: cacheHits.series({ keyspace }), miss: cacheMisses.series({ keyspace }) };
        cacheChildren.set(keyspace, children);
      }
      (hit ? children.hit : children.miss).inc();
    },
    mailSend(outcome) {
      mails[outcome].inc();
    },
  };
}
