import type { Role } from "./roles";

/** A user as the core sees it. The password hash never leaves the repository except for verification. */
export interface User {
  id: string;
  tenantId: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  role: Role;
  isActive: boolean;
  emailVerifiedAt: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface UserCredentials {
  user: User;
  passwordHash: string | null;
}

/** The role a new user gets when none is asked for. */
export const DEFAULT_USER_ROLE: Role = "member";

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
