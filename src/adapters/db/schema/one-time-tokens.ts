import { sql } from "drizzle-orm";
import { check, index, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, timestamptz } from "./columns";
import { tenantId } from "./tenants";
import { users } from "./users";

/** Single-use secrets sent by email: verification, password reset, email change, invitation. */
export const oneTimeTokens = pgTable(
  "one_time_tokens",
  {
    id: id(),
    tenantId: tenantId(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", {
      enum: ["email_verification", "password_reset", "email_change", "invitation"],
    }).notNull(),
    tokenHash: text("token_hash").notNull(),
    newEmail: text("new_email"),
    /** Who asked for it, when not the user themself (an admin changing a user's email). */
    requestedBy: uuid("requested_by").references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: timestamptz("expires_at").notNull(),
    usedAt: timestamptz("used_at"),
  },
  (t) => [
    uniqueIndex("one_time_tokens_hash_key").on(t.tokenHash),
    index("one_time_tokens_user_idx").on(t.userId, t.purpose),
    index("one_time_tokens_expires_at_idx").on(t.expiresAt),
    check(
      "one_time_tokens_purpose_check",
      sql`${t.purpose} in ('email_verification', 'password_reset', 'email_change', 'invitation')`,
    ),
  ],
);
