import type { Actor, AuditEventInput, RequestOrigin } from "./audit";
import type { Role } from "./roles";
import type { TenantStatus } from "./tenant";

/**
 * Who is acting: a signed-in user, or an operator at the CLI (`kind: "cli"`), who acts as a super
 * admin of the platform tenant under their OS user name and has no session.
 */
export interface Principal {
  userId: string;
  tenantId: string;
  sessionId: string;
  role: Role;
  kind?: "user" | "cli";
}

/** The part of a tenant that requests need, small and safe to cache. */
export interface TenantRef {
  id: string;
  slug: string;
  name: string;
  plan: string;
  status: TenantStatus;
}

/**
 * Who acts, from where, on which tenant: resolved once at the edge (the HTTP auth macro, the CLI
 * operator) and passed first to every use case that has an actor.
 */
export interface Acting {
  principal: Principal;
  /** The principal's own tenant: where their permissions are evaluated. */
  home: TenantRef;
  /** The tenant acted on: `home`, or the one a platform admin names. */
  tenant: TenantRef;
  origin: RequestOrigin;
}

/** The audit actor for what the principal does. */
export function actorOf(principal: Principal): Actor {
  return principal.kind === "cli"
    ? { type: "cli", id: principal.userId, display: principal.userId }
    : { type: "user", id: principal.userId, display: null };
}

/** Whether the action is the principal's on their own account. */
export function actsOnSelf(acting: Acting, userId: string): boolean {
  return acting.tenant.id === acting.home.id && userId === acting.principal.userId;
}

/**
 * A successful action's audit event, recorded in the tenant acted on unless `tenantId` says
 * otherwise (a tenant's own record, a logout in the principal's home).
 */
export function successEvent(
  acting: Pick<Acting, "principal" | "tenant">,
  action: string,
  resource: { type: string; id: string | null },
  metadata: Record<string, unknown> = {},
  tenantId: string = acting.tenant.id,
): AuditEventInput {
  return { tenantId, actor: actorOf(acting.principal), action, resource, outcome: "success", metadata };
}
