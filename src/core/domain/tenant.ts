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
