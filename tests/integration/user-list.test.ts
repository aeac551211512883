/**
 * The user list's statements are built once per process and sent on the transaction's own client
 * (src/adapters/db/repositories/user-list.ts): they must answer exactly what drizzle's query builder
 * answers, for every combination of filters, on PostgreSQL and on the embedded database, inside the
 * scoped transactions where row-level security applies.
 */
import { describe, expect, test } from "bun:test";
import { and, asc, eq, gt, like, type SQL, sql } from "drizzle-orm";
import type { Database, DatabaseHandle } from "../../src/adapters/db/database";
import { listUsers } from "../../src/adapters/db/repositories/user-list";
import { userRepository } from "../../src/adapters/db/repositories/user-repository";
import { users } from "../../src/adapters/db/schema";
import { scopedDatabase } from "../../src/adapters/db/scoped-database";
import { type DataScope, tenantScope } from "../../src/core/domain/data-scope";
import type { Role } from "../../src/core/domain/roles";
import type { User } from "../../src/core/domain/user";
import type { UserFilter } from "../../src/core/ports/repositories";
import { embeddedDatabase, realPostgres } from "../support/resources";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const id = () => Bun.randomUUIDv7();

async function createTenant(db: Database, name: string): Promise<string> {
  const tenantId = id();
  await db.execute(
    sql`insert into tenants (id, name, slug) values (${tenantId}, ${name}, ${`${name}-${tenantId.slice(-12)}`})`,
  );
  return tenantId;
}

class RolledBack extends Error {}

/** Runs `work` in a scoped transaction and rolls it back, returning what `work` returned. */
async function inScope<T>(handle: DatabaseHandle, scope: DataScope, work: (tx: Database) => Promise<T>) {
  let result: T | undefined;
  await scopedDatabase(handle)
    .transaction(scope, async (tx) => {
      result = await work(tx);
      throw new RolledBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  return result as T;
}

/** What the list must answer, by drizzle's query builder, as the connecting user. */
async function expected(
  db: Database,
  tenantId: string,
  filter: UserFilter,
  after: string | null,
  rows: number,
) {
  const escaped = filter.emailPrefix?.replace(/[\\%_]/g, (c) => `\\${c}`);
  const found = await db
    .select()
    .from(users)
    .where(
      and(
        eq(users.tenantId, tenantId),
        escaped ? like(users.email, `${escaped}%`) : undefined,
        filter.role ? eq(users.role, filter.role) : undefined,
        filter.isActive === undefined ? undefined : eq(users.isActive, filter.isActive),
        after ? gt(users.id, after) : undefined,
      ) as SQL,
    )
    .orderBy(asc(users.id))
    .limit(rows);
  return found.map(({ passwordHash: _hash, ...user }): User => user);
}

async function proveOn(name: string, open: () => Promise<DatabaseHandle | null>) {
  const handle = await open();
  describe.skipIf(!handle)(`the user list on ${name}`, () => {
    const h = handle as DatabaseHandle;
    let tenantId: string;
    let otherTenantId: string;
    let ids: string[];

    test("a tenant with users of every shape, and another tenant", async () => {
      tenantId = await createTenant(h.db, "list-a");
      otherTenantId = await createTenant(h.db, "list-b");
      const roles: Role[] = ["admin", "member", "guest"];
      const rows = Array.from({ length: 12 }, (_, i) => ({
        id: id(),
        tenantId,
        // Prefixes with LIKE's wildcards in them, taken literally by the filter.
        email: `${["p%x", "p_x", "px", "q"][i % 4]}-${i}@list.test`,
        passwordHash: i % 2 ? "$2b$04$hash" : null,
        firstName: i % 3 ? `First ${i}` : null,
        lastName: i % 5 ? null : `Last ${i}`,
        role: roles[i % 3]!,
        isActive: i % 4 !== 1,
        emailVerifiedAt: i % 2 ? new Date(Date.UTC(2024, 1, 29, 23, 59, 59, 999)) : null,
        lastLoginAt: i % 3 === 0 ? null : new Date(Date.UTC(1999, 11, 31, 0, 0, i, 7)),
      }));
      await h.db.insert(users).values(rows);
      // A timestamp with microseconds, which a JavaScript Date cannot hold: both paths must cut it alike.
      await h.db.execute(
        sql`update users set created_at = '2026-12-03 17:31:13.123456+00' where id = ${rows[0]!.id}`,
      );
      await h.db.insert(users).values({ id: id(), tenantId: otherTenantId, email: "px-other@list.test" });
      ids = rows.map((row) => row.id);
    });

    const filters: UserFilter[] = [];
    for (const emailPrefix of [undefined, "p%", "p_", "px", "nobody"])
      for (const role of [undefined, "member" as const])
        for (const isActive of [undefined, true, false]) filters.push({ emailPrefix, role, isActive });

    test("every combination of filters, first page and after a cursor, answers what drizzle answers", async () => {
      let compared = 0;
      for (const filter of filters) {
        for (const after of [null, ids[3]!]) {
          for (const rows of [1, 5, 51]) {
            const want = await expected(h.db, tenantId, filter, after, rows);
            const got = await inScope(h, tenantScope(tenantId), (tx) =>
              userRepository(tx).list(tenantId, filter, { after, limit: rows - 1 }),
            );
            expect(got).toEqual(want);
            compared += want.length;
          }
        }
      }
      expect(compared).toBeGreaterThan(100);
    });

    test("rows carry every listed field, with dates as Dates and never the password hash", async () => {
      const [first] = await inScope(h, tenantScope(tenantId), (tx) =>
        listUsers(tx, { tenantId, filter: {}, after: null, rows: 1 }),
      );
      expect(Object.keys(first!).sort()).toEqual(
        [
          "createdAt",
          "email",
          "emailVerifiedAt",
          "firstName",
          "id",
          "isActive",
          "lastLoginAt",
          "lastName",
          "role",
          "tenantId",
          "updatedAt",
        ].sort(),
      );
      expect(first!.createdAt).toEqual(new Date("2026-12-03T17:31:13.123Z"));
      expect(first!.emailVerifiedAt).toBeNull();
    });

    test("row-level security applies: another tenant's scope lists none of this tenant's users", async () => {
      const seen = await inScope(h, tenantScope(otherTenantId), (tx) =>
        listUsers(tx, { tenantId, filter: {}, after: null, rows: 50 }),
      );
      expect(seen).toEqual([]);
      const own = await inScope(h, tenantScope(otherTenantId), (tx) =>
        listUsers(tx, { tenantId: otherTenantId, filter: { emailPrefix: "px" }, after: null, rows: 50 }),
      );
      expect(own.map((user) => user.email)).toEqual(["px-other@list.test"]);
    });
  });
}

await proveOn("PostgreSQL", realPostgres);
await proveOn("the embedded database (PGlite)", embeddedDatabase);
