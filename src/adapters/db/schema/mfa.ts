import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, timestamptz, updatedAt } from "./columns";
import { tenantId } from "./tenants";
import { users } from "./users";

/**
 * A user's TOTP factor: pending until a first code confirms it. The secret is stored sealed
 * (AES-256-GCM), recovery codes as SHA-256 hashes (each removed once used), and the last time step a
 * code was accepted for, so no code is accepted twice.
 */
export const userMfa = pgTable("user_mfa", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  tenantId: tenantId(),
  secretSealed: text("secret_sealed").notNull(),
  confirmedAt: timestamptz("confirmed_at"),
  lastUsedStep: bigint("last_used_step", { mode: "number" }),
  recoveryCodeHashes: jsonb("recovery_code_hashes").$type<string[]>().notNull().default([]),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * The second step of a sign-in whose password checked out: its token is held by the client (only the
 * hash is stored), lives minutes, is used once and dies after a few wrong codes.
 */
export const mfaChallenges = pgTable(
  "mfa_challenges",
  {
    id: id(),
    tenantId: tenantId(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    cookieSession: boolean("cookie_session").notNull().default(false),
    failures: integer("failures").notNull().default(0),
    createdAt: createdAt(),
    expiresAt: timestamptz("expires_at").notNull(),
    endedAt: timestamptz("ended_at"),
  },
  (t) => [
    uniqueIndex("mfa_challenges_token_hash_key").on(t.tokenHash),
    index("mfa_challenges_expires_at_idx").on(t.expiresAt),
  ],
);
