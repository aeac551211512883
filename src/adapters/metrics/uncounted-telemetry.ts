import type { Telemetry } from "../../core/ports/telemetry";

/**
 * For processes nobody scrapes (saasctl): events are not counted, and prom-client (a tenth of a second
 * or more to load) is never imported.
 */
export const uncountedTelemetry: Telemetry = {
  signIn() {},
  flagsEvaluated() {},
  auditAppended() {},
  cacheLookup() {},
  mailSend() {},
};
