export interface Session {
  id: string;
  tenantId: string;
  userId: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  ip: string | null;
  userAgent: string | null;
  /** The sign-in passed a second factor. */
  mfa?: boolean;
  /** The session may only enrol a second factor (the tenant requires one; the user has none). */
  mfaEnrollmentRequired?: boolean;
}

/** Why a session ended; recorded with it and in the audit log. */
export type RevocationReason =
  | "logout"
  | "revoked_by_user"
  | "revoked_by_admin"
  | "refresh_token_reused"
  | "idle_timeout"
  | "password_changed"
  | "password_reset"
  | "user_inactive"
  | "tenant_inactive"
  | "mfa_reset";

/** One refresh token of a session's family. Only its hash is ever stored. */
export interface RefreshToken {
  id: string;
  sessionId: string;
  expiresAt: Date;
  retiredAt: Date | null;
  /** The token that replaced it at rotation; null while live, or when retired otherwise. */
  replacedBy: string | null;
}

export function isSessionLive(session: Pick<Session, "expiresAt" | "revokedAt">, now: Date): boolean {
  return session.revokedAt === null && session.expiresAt.getTime() > now.getTime();
}
