import { ROLES, type Role, roleRank } from "./roles";

/**
 * The permission catalog: `resource:action`, what it allows, and the lowest built-in role that holds
 * it by default.
 */
const CATALOG = {
  "profile:read": { role: "guest", description: "Read your own profile" },
  "profile:update": { role: "guest", description: "Update your own profile" },
  "flags:read": { role: "member", description: "Read and evaluate the tenant's feature flags" },
  "users:read": { role: "member", description: "List and read the tenant's users" },
  "tenant:read": { role: "member", description: "Read the tenant's details" },
  "users:create": { role: "admin", description: "Create and invite users" },
  "users:update": { role: "admin", description: "Update users' profiles, roles and email addresses" },
  "users:delete": { role: "admin", description: "Delete users" },
  "users:credentials": { role: "admin", description: "Set other users' passwords" },
  "sessions:read": { role: "admin", description: "List other users' sessions" },
  "sessions:revoke": { role: "admin", description: "End other users' sessions" },
  "tenant:update": { role: "admin", description: "Update the tenant's details and settings" },
  "flags:write": { role: "admin", description: "Create, update and delete the tenant's feature flags" },
  "audit:read": { role: "admin", description: "Read the tenant's audit log" },
  "roles:read": { role: "admin", description: "Read the permissions of the tenant's roles" },
  "roles:manage": { role: "admin", description: "Change the permissions of roles below your own" },
  "api_keys:manage": { role: "admin", description: "Create, list and revoke the tenant's API keys" },
  "webhooks:manage": {
    role: "admin",
    description: "Register, change, test and delete the tenant's webhook endpoints",
  },
  "tenants:read": { role: "super_admin", description: "List and read every tenant" },
  "tenants:create": { role: "super_admin", description: "Create tenants" },
  "tenants:update": { role: "super_admin", description: "Update any tenant" },
  "tenants:status": { role: "super_admin", description: "Suspend, activate and cancel tenants" },
  "platform:users": { role: "super_admin", description: "Manage users of every tenant" },
  "platform:flags": { role: "super_admin", description: "Manage platform-wide feature flags" },
  "platform:audit": { role: "super_admin", description: "Read every tenant's audit log" },
} as const satisfies Record<string, { role: Role; description: string }>;

export type Permission = keyof typeof CATALOG;

export const PERMISSIONS = Object.keys(CATALOG) as Permission[];

/** Permissions that only `super_admin` of the platform tenant may ever hold. */
export const PLATFORM_PERMISSIONS: readonly Permission[] = PERMISSIONS.filter(
  (p) => p.startsWith("tenants:") || p.startsWith("platform:"),
);

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(CATALOG, value);
}

export function isPlatformPermission(permission: Permission): boolean {
  return PLATFORM_PERMISSIONS.includes(permission);
}

/** The default grants of every built-in role, inheritance applied. */
export const DEFAULT_ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = Object.fromEntries(
  ROLES.map((role) => [
    role,
    new Set(PERMISSIONS.filter((p) => roleRank(CATALOG[p].role) <= roleRank(role))),
  ]),
) as unknown as Record<Role, ReadonlySet<Permission>>;

export interface PermissionInfo {
  name: Permission;
  description: string;
  /** The lowest built-in role that holds it by default. */
  defaultRole: Role;
  platform: boolean;
}

export interface PermissionGroup {
  /** The part of the permission before the colon. */
  resource: string;
  permissions: PermissionInfo[];
}

/** The catalog grouped by resource, groups and permissions in catalog order. */
export function permissionCatalog(): PermissionGroup[] {
  const groups = new Map<string, PermissionInfo[]>();
  for (const name of PERMISSIONS) {
    const resource = name.slice(0, name.indexOf(":"));
    const { role, description } = CATALOG[name];
    const info = { name, description, defaultRole: role, platform: isPlatformPermission(name) };
    groups.set(resource, [...(groups.get(resource) ?? []), info]);
  }
  return [...groups].map(([resource, permissions]) => ({ resource, permissions }));
}

/** Sorts permissions in catalog order, without duplicates. */
export function inCatalogOrder(permissions: Iterable<Permission>): Permission[] {
  const set = new Set(permissions);
  return PERMISSIONS.filter((p) => set.has(p));
}
