export const TENANT_STATUSES = ["active", "suspended", "cancelled"] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

/** The slug of the tenant that owns the platform and its super admins. */
export const PLATFORM_TENANT_SLUG = "platform";

export interface Tenant {
  id: string;
  name: string;
  slug: string;
  domain: string | null;
  plan: string;
  status: TenantStatus;
  settings: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Slugs that would collide with hosts or paths of the product itself. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  "platform",
  "www",
  "api",
  "app",
  "admin",
  "administrator",
  "auth",
  "login",
  "logout",
  "signup",
  "account",
  "accounts",
  "billing",
  "dashboard",
  "console",
  "docs",
  "help",
  "support",
  "status",
  "static",
  "assets",
  "cdn",
  "mail",
  "email",
  "smtp",
  "root",
  "system",
  "internal",
  "metrics",
  "health",
]);

export type TenantAction = "suspend" | "activate" | "cancel";

const TRANSITIONS: Record<TenantAction, { from: readonly TenantStatus[]; to: TenantStatus }> = {
  suspend: { from: ["active"], to: "suspended" },
  activate: { from: ["suspended"], to: "active" },
  cancel: { from: ["active", "suspended"], to: "cancelled" },
};

/** The status `action` leads to from `current`, or null when the lifecycle does not allow it. */
export function nextStatus(current: TenantStatus, action: TenantAction): TenantStatus | null {
  const transition = TRANSITIONS[action];
  return transition.from.includes(current) ? transition.to : null;
}
