import { and, asc, eq, getTableColumns, gt, like, sql } from "drizzle-orm";
import { ConflictError } from "../../../core/domain/errors";
import type { User } from "../../../core/domain/user";
import type { NewUser, UserRepository } from "../../../core/ports/repositories";
import type { Database } from "../database";
import { withConflicts } from "../db-errors";
import { users } from "../schema";

type Row = typeof users.$inferSelect;

const emailTaken = () =>
  new ConflictError("EMAIL_TAKEN", "A user with this email already exists in the tenant.");

function toUser({ passwordHash: _secret, ...user }: Row): User {
  return user;
}

/** LIKE pattern for a prefix, with LIKE's own wildcards taken literally. */
const prefixPattern = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const { passwordHash: _hash, ...userColumns } = getTableColumns(users);

/**
 * A tenant's users in id order, without filters (what an admin page asks for): built once per
 * database handle, not per request, and without the password hash nobody listing needs.
 */
function unfilteredList(db: Database) {
  const tenantId = sql.placeholder("tenantId");
  const limit = sql.placeholder("limit");
  const first = db
    .select(userColumns)
    .from(users)
    .where(eq(users.tenantId, tenantId))
    .orderBy(asc(users.id))
    .limit(limit)
    .prepare("users_list_first");
  const after = db
    .select(userColumns)
    .from(users)
    .where(and(eq(users.tenantId, tenantId), gt(users.id, sql.placeholder("after"))))
    .orderBy(asc(users.id))
    .limit(limit)
    .prepare("users_list_after");
  return { first, after };
}

const unfilteredLists = new WeakMap<Database, ReturnType<typeof unfilteredList>>();

function unfilteredListOf(db: Database) {
  let lists = unfilteredLists.get(db);
  if (!lists) {
    lists = unfilteredList(db);
    unfilteredLists.set(db, lists);
  }
  return lists;
}

export function userRepository(db: Database): UserRepository {
  return {
    async list(tenantId, filter, page) {
      if (!filter.emailPrefix && !filter.role && filter.isActive === undefined) {
        const { first, after } = unfilteredListOf(db);
        const limit = page.limit + 1;
        return page.after
          ? after.execute({ tenantId, after: page.after, limit })
          : first.execute({ tenantId, limit });
      }
      const rows = await db
        .select(userColumns)
        .from(users)
        .where(
          and(
            eq(users.tenantId, tenantId),
            filter.emailPrefix ? like(users.email, prefixPattern(filter.emailPrefix)) : undefined,
            filter.role ? eq(users.role, filter.role) : undefined,
            filter.isActive === undefined ? undefined : eq(users.isActive, filter.isActive),
            page.after ? gt(users.id, page.after) : undefined,
          ),
        )
        .orderBy(asc(users.id))
        .limit(page.limit + 1);
      return rows;
    },
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
