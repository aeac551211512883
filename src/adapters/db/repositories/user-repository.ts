import { and, eq } from "drizzle-orm";
import { ConflictError } from "../../../core/domain/errors";
import type { User } from "../../../core/domain/user";
import type { NewUser, UserRepository } from "../../../core/ports/repositories";
import type { Database } from "../database";
import { withConflicts } from "../db-errors";
import { users } from "../schema";
import { listUsers } from "./user-list";

type Row = typeof users.$inferSelect;

const emailTaken = () =>
  new ConflictError("EMAIL_TAKEN", "A user with this email already exists in the tenant.");

function toUser({ passwordHash: _secret, ...user }: Row): User {
  return user;
}

export function userRepository(db: Database): UserRepository {
  return {
    list: (tenantId, filter, page) =>
      listUsers(db, { tenantId, filter, after: page.after, rows: page.limit + 1 }),
    async update(tenantId, id, patch, at) {
      const [row] = await db
        .update(users)
        .set({ ...patch, updatedAt: at })
        .where(and(eq(users.tenantId, tenantId), eq(users.id, id)))
        .returning();
      return row ? toUser(row) : null;
    },
    async delete(tenantId, id) {
      const rows = await db
        .delete(users)
        .where(and(eq(users.tenantId, tenantId), eq(users.id, id)))
        .returning({ id: users.id });
      return rows.length > 0;
    },
    async findById(tenantId, id) {
      const [row] = await db
        .select()
        .from(users)
        .where(and(eq(users.tenantId, tenantId), eq(users.id, id)));
      return row ? toUser(row) : null;
    },
    async findByIdLocked(tenantId, id) {
      const [row] = await db
        .select()
        .from(users)
        .where(and(eq(users.tenantId, tenantId), eq(users.id, id)))
        .for("update");
      return row ? toUser(row) : null;
    },
    async findCredentialsByEmail(tenantId, email) {
      const [row] = await db
        .select()
        .from(users)
        .where(and(eq(users.tenantId, tenantId), eq(users.email, email)));
      return row ? { user: toUser(row), passwordHash: row.passwordHash } : null;
    },
    async create(user: NewUser) {
      const [row] = await withConflicts(() => db.insert(users).values(user).returning(), {
        users_tenant_email_key: emailTaken,
      });
      return toUser(row!);
    },
    async setPasswordHash(tenantId, id, passwordHash, at) {
      await db
        .update(users)
        .set({ passwordHash, updatedAt: at })
        .where(and(eq(users.tenantId, tenantId), eq(users.id, id)));
    },
    async markEmailVerified(tenantId, id, at) {
      await db
        .update(users)
        .set({ emailVerifiedAt: at, updatedAt: at })
        .where(and(eq(users.tenantId, tenantId), eq(users.id, id)));
    },
    async changeEmail(tenantId, id, email, at) {
      await withConflicts(
        () =>
          db
            .update(users)
            .set({ email, emailVerifiedAt: at, updatedAt: at })
            .where(and(eq(users.tenantId, tenantId), eq(users.id, id))),
        { users_tenant_email_key: emailTaken },
      );
    },
    async recordLogin(tenantId, id, at) {
      await db
        .update(users)
        .set({ lastLoginAt: at })
        .where(and(eq(users.tenantId, tenantId), eq(users.id, id)));
    },
  };
}
