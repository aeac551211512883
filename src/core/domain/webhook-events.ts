import type { FieldProblem } from "./errors";

/**
 * The events a tenant's endpoints may subscribe to: the audit trail's actions that report a change
 * (or a sign-in) that succeeded in the tenant. One catalogue: an event's type is its audit action.
 * Reads of the audit log, failures and refusals are audited but not delivered.
 */
export const WEBHOOK_EVENT_TYPES = [
  "api_key.created",
  "api_key.revoked",
  "auth.login.succeeded",
  "auth.logout",
  "auth.mfa.succeeded",
  "auth.password_reset.completed",
  "flag.created",
  "flag.updated",
  "flag.deleted",
  "mfa.recovery_codes.regenerated",
  "mfa.reset",
  "mfa.totp.disabled",
  "mfa.totp.enabled",
  "role.permissions_changed",
  "segment.created",
  "segment.updated",
  "segment.deleted",
  "session.revoked",
  "tenant.created",
  "tenant.updated",
  "tenant.suspended",
  "tenant.activated",
  "tenant.cancelled",
  "user.created",
  "user.updated",
  "user.deleted",
  "user.role_changed",
  "user.email_change.requested",
  "user.email_changed",
  "user.email_verified",
  "user.invitation_accepted",
  "user.password_changed",
  "webhook.created",
  "webhook.updated",
  "webhook.deleted",
  "webhook.secret_rotated",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent only by `POST /webhooks/{id}/test`, to that endpoint, whatever it subscribes to. */
export const WEBHOOK_TEST_EVENT = "webhook.test";

const CATALOGUE: ReadonlySet<string> = new Set(WEBHOOK_EVENT_TYPES);

export function isWebhookEventType(type: string): type is WebhookEventType {
  return CATALOGUE.has(type);
}

/** `*` matches every event; `user.*` every event under `user.` (`user.email_change.requested` too). */
export function matchesEventPattern(pattern: string, type: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith(".*")) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

/** Whether an endpoint subscribed to `patterns` receives events of `type`. */
export function subscribesTo(patterns: readonly string[], type: string): boolean {
  return isWebhookEventType(type) && patterns.some((pattern) => matchesEventPattern(pattern, type));
}

/** A pattern is valid when it is `*`, a catalogued type, or `prefix.*` matching at least one. */
function isKnownPattern(pattern: string): boolean {
  if (pattern === "*" || isWebhookEventType(pattern)) return true;
  return pattern.endsWith(".*") && WEBHOOK_EVENT_TYPES.some((type) => matchesEventPattern(pattern, type));
}

/** What is wrong with a subscription's patterns, field by field; empty when nothing is. */
export function eventPatternProblems(patterns: readonly string[]): FieldProblem[] {
  if (patterns.length === 0) return [{ field: "events", message: "Subscribe to at least one event." }];
  return patterns.flatMap((pattern, i) =>
    isKnownPattern(pattern)
      ? []
      : [{ field: `events.${i}`, message: `No event matches "${pattern}"; see the event catalogue.` }],
  );
}
