import { normalizeEmail } from "../../domain/user";

/** The login lockout counts per account: a tenant and an address as typed, existing or not. */
export const lockoutKey = (tenantId: string, email: string) => `${tenantId}:${normalizeEmail(email)}`;
