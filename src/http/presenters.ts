import type { FlagRecord, SegmentRecord } from "../core/domain/flags/flag-record";
import type { Tenant } from "../core/domain/tenant";
import type { User } from "../core/domain/user";
import type { SessionView } from "../core/usecases/sessions/list-sessions";

export function presentTenant(tenant: Tenant) {
  return {
    id: tenant.id,
    name: tenant.name,
    slug: tenant.slug,
    domain: tenant.domain,
    plan: tenant.plan,
    status: tenant.status,
    settings: tenant.settings,
    createdAt: tenant.createdAt.toISOString(),
    updatedAt: tenant.updatedAt.toISOString(),
  };
}

export function presentSession(session: SessionView) {
  return {
    ...session,
    createdAt: session.createdAt.toISOString(),
    lastUsedAt: session.lastUsedAt.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
  };
}

// Cached users are frozen and shared between requests: each is presented once.
const presentedUsers = new WeakMap<User, ReturnType<typeof userView>>();

export function presentUser(user: User) {
  if (!Object.isFrozen(user)) return userView(user);
  let view = presentedUsers.get(user);
  if (!view) {
    view = Object.freeze(userView(user));
    presentedUsers.set(user, view);
  }
  return view;
}

function userView(user: User) {
  return {
    id: user.id,
    tenantId: user.tenantId,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    role: user.role,
    isActive: user.isActive,
    emailVerified: user.emailVerifiedAt !== null,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

export function presentFlag(flag: FlagRecord) {
  return {
    id: flag.id,
    key: flag.key,
    scope: flag.tenantId === null ? ("platform" as const) : ("tenant" as const),
    name: flag.name,
    description: flag.description,
    type: flag.type,
    enabled: flag.enabled,
    strategies: flag.strategies,
    variants: flag.variants,
    dependencies: flag.dependencies,
    version: flag.version,
    createdAt: flag.createdAt.toISOString(),
    updatedAt: flag.updatedAt.toISOString(),
  };
}

export function presentSegment(segment: SegmentRecord) {
  return {
    id: segment.id,
    scope: segment.tenantId === null ? ("platform" as const) : ("tenant" as const),
    name: segment.name,
    description: segment.description,
    constraints: segment.constraints,
    createdAt: segment.createdAt.toISOString(),
    updatedAt: segment.updatedAt.toISOString(),
  };
}
