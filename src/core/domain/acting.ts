import type { ApiKeyKind } from "./api-key";
import type { Actor, AuditEventInput, RequestOrigin } from "./audit";
import type { Permission } from "./permissions";
import type { Role } from "./roles";
import type { TenantStatus } from "./tenant";

/**
 * Who is acting: a signed-in user, an operator at the CLI (`kind: "cli"`), who acts as a super
 * admin of the platform tenant under their OS user name and has no session, or an API key
 * (`kind: "api_key"`).
 *
 * A key acts on its creator's authority and never beyond it: `userId` and `role` are its creator's
 * (as stored now, not when the key was made; an operator's key has its tenant's highest role), and
 * it holds only the permissions it was given that this role still grants. It has no session
 * (`sessionId` is empty) and its actions are audited as the key's.
 */
export interface Principal {
  userId: string;
  tenantId: string;
  sessionId: string;
  role: Role;
  kind?: "user" | "cli" | "api_key";
  apiKey?: ApiKeyPrincipal;
  /** The session may only enrol a second factor (tenant policy `mfaRequired`): set only then. */
  mfaEnrollmentRequired?: true;
}

export interface ApiKeyPrincipal {
  id: string;
  kind: ApiKeyKind;
  /** The kind prefix and first characters of the secret: how people recognise the key. */
  prefix: string;
  /** What the key was given; authorization also asks the creator's current role. */
  permissions: ReadonlySet<Permission>;
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
  if (principal.apiKey) return { type: "api_key", id: principal.apiKey.id, display: principal.apiKey.prefix };
  return principal.kind === "cli"
    ? { type: "cli", id: principal.userId, display: principal.userId }
    : { type: "user", id: principal.userId, display: null };
}

/** Whether the action is the principal's on their own account. */
export function actsOnSelf(acting: Acting, userId: string): boolean {
  return acting.tenant.id === acting.home.id && userId === acting.principal.userId;
}

/** Whether a person (a signed-in user, an operator) acts, rather than a machine holding a key. */
export function isPerson(principal: Principal): boolean {
  return principal.apiKey === undefined;
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
