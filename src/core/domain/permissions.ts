import { ROLES, type Role, roleRank } from "./roles";

/** The permission catalog: `resource:action`, with the lowest built-in role that holds it by default. */
const CATALOG = {
  "profile:read": "guest",
  "profile:update": "guest",
  "flags:read": "member",
  "users:read": "member",
  "tenant:read": "member",
  "users:create": "admin",
  "users:update": "admin",
  "users:delete": "admin",
  "users:credentials": "admin",
  "sessions:read": "admin",
  "sessions:revoke": "admin",
  "tenant:update": "admin",
  "flags:write": "admin",
  "audit:read": "admin",
  "roles:read": "admin",
  "roles:manage": "admin",
  "tenants:read": "super_admin",
  "tenants:create": "super_admin",
  "tenants:update": "super_admin",
  "tenants:status": "super_admin",
  "platform:users": "super_admin",
  "platform:flags": "super_admin",
  "platform:audit": "super_admin",
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof CATALOG;

export const PERMISSIONS = Object.keys(CATALOG) as Permission[];

/** Permissions that only `super_admin` of the platform tenant may ever hold. */
export const PLATFORM_PERMISSIONS: readonly Permission[] = PERMISSIONS.filter(
  (p) => p.startsWith("tenants:") || p.startsWith("platform:"),
);

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(CATALOG, value);
}

/** The default grants of every built-in role, inheritance applied. */
export const DEFAULT_ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = Object.fromEntries(
  ROLES.map((role) => [role, new Set(PERMISSIONS.filter((p) => roleRank(CATALOG[p]) <= roleRank(role)))]),
) as unknown as Record<Role, ReadonlySet<Permission>>;
