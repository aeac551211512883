export type ActorType = "user" | "cli" | "system" | "api_key";
export type AuditOutcome = "success" | "failure" | "denied";

export interface Actor {
  type: ActorType;
  id: string | null;
  display: string | null;
}

/** What a use case says happened; the audit log adds sequence, hashes, id and time. */
export interface AuditEventInput {
  tenantId: string;
  actor: Actor;
  action: string;
  resource: { type: string; id: string | null };
  outcome: AuditOutcome;
  metadata?: Record<string, unknown>;
}

/** Where a request came from; recorded with every audit event. */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export const SYSTEM_ACTOR: Actor = { type: "system", id: null, display: "system" };

/** A successful action a user took on their own account (verifying, confirming, accepting). */
export function ownAccountEvent(
  user: { id: string; tenantId: string; email: string },
  action: string,
  metadata?: Record<string, unknown>,
): AuditEventInput {
  return {
    tenantId: user.tenantId,
    actor: { type: "user", id: user.id, display: user.email },
    action,
    resource: { type: "user", id: user.id },
    outcome: "success",
    ...(metadata ? { metadata } : {}),
  };
}

/** An event as the log holds it: what was appended, with its place in the tenant's chain. */
export interface AuditEvent {
  id: string;
  tenantId: string;
  seq: number;
  actor: Actor;
  action: string;
  resource: { type: string; id: string | null };
  outcome: AuditOutcome;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
  prevHash: string;
  hash: string;
}
