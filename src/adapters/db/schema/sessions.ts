import { sql } from "drizzle-orm";
import { boolean, index, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, timestamptz } from "./columns";
import { tenantId } from "./tenants";
import { users } from "./users";

/** One login. Access tokens carry its id (`sid`); revoking it ends every token of the session. */
export const sessions = pgTable(
  "sessions",
  {
    id: id(),
    tenantId: tenantId(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastUsedAt: timestamptz("last_used_at").notNull().defaultNow(),
    expiresAt: timestamptz("expires_at").notNull(),
    revokedAt: timestamptz("revoked_at"),
    revokedReason: text("revoked_reason"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    /** The sign-in passed a second factor. */
    mfa: boolean("mfa").notNull().default(false),
    /** The tenant requires MFA and the user has none: the session may only enrol. */
    mfaEnrollmentRequired: boolean("mfa_enrollment_required").notNull().default(false),
  },
  (t) => [
    index("sessions_user_idx").on(t.tenantId, t.userId),
    index("sessions_expires_at_idx").on(t.expiresAt),
  ],
);

/**
 * Refresh tokens of a session form a family: each rotation retires the presented token and points it
 * at its successor. Only the SHA-256 of a token is stored.
 */
export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    id: id(),
    tenantId: tenantId(),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    createdAt: createdAt(),
    expiresAt: timestamptz("expires_at").notNull(),
    retiredAt: timestamptz("retired_at"),
    replacedBy: uuid("replaced_by"),
  },
  (t) => [
    uniqueIndex("refresh_tokens_hash_key").on(t.tokenHash),
    index("refresh_tokens_session_idx").on(t.sessionId),
    /** A session's live tokens, which every rotation retires: as many entries as live tokens. */
    index("refresh_tokens_live_idx").on(t.sessionId).where(sql`${t.retiredAt} is null`),
    index("refresh_tokens_expires_at_idx").on(t.expiresAt),
  ],
);
