/**
 * The application's database role on a server where the connecting user is not a superuser (a
 * managed database): what the migrator provisions, what start-up reports, and that the forced
 * policies bind the tables' owner even without the role. PostgreSQL only: PGlite has one user.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import type { DatabaseHandle } from "../../src/adapters/db/database";
import { migrate } from "../../src/adapters/db/migrate";
import { openPostgres } from "../../src/adapters/db/open-postgres";
import { scopedDatabase } from "../../src/adapters/db/scoped-database";
import { secretScope, tenantScope } from "../../src/core/domain/data-scope";

const serverUrl = process.env.TEST_DATABASE_URL;
const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const cleanups: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

/** A database owned by a new login role with the given attributes, opened as that role. */
async function ownedBy(attributes: string, appRole: string): Promise<DatabaseHandle> {
  const admin = postgres(serverUrl as string, { max: 1, onnotice: () => {} });
  const owner = `saas_owner_${suffix}_${cleanups.length}`;
  const database = `saas_role_test_${suffix}_${cleanups.length}`;
  await admin.unsafe(`create role ${owner} login ${attributes}`);
  await admin.unsafe(`create database ${database} owner ${owner}`);
  cleanups.push(async () => {
    await admin.unsafe(`drop database if exists ${database} with (force)`);
    await admin.unsafe(`drop role if exists ${owner}`);
    await admin.end();
  });
  const url = new URL(serverUrl as string);
  url.username = owner;
  url.pathname = `/${database}`;
  const handle = await openPostgres({
    url: url.toString(),
    maxConnections: 2,
    statementTimeoutMs: 10_000,
    connectTimeoutSeconds: 5,
    appRole,
  });
  cleanups.push(() => handle.close());
  return handle;
}

const rowsOf = (result: unknown) => result as Record<string, unknown>[];

describe.skipIf(!serverUrl)("the application role on a managed database", () => {
  test("a user who may not create roles is told so in one line, and the forced policies still bind it", async () => {
    const missing = `saas_missing_${suffix}`;
    const handle = await ownedBy("nosuperuser nocreaterole", missing);
    await migrate(handle);
    expect(handle.appRole.active).toBeNull();
    expect(handle.appRole.problem).toContain(`database role ${missing} does not exist`);
    expect(handle.appRole.problem).not.toContain("\n");

    const a = Bun.randomUUIDv7();
    const b = Bun.randomUUIDv7();
    const scoped = scopedDatabase(handle);
    // The owner creates both tenants as platform work, then reads users as tenant A.
    await scoped.transaction({ kind: "platform", purpose: "seed" }, async (tx) => {
      for (const [id, slug] of [
        [a, `a-${suffix}`],
        [b, `b-${suffix}`],
      ]) {
        await tx.execute(sql`insert into tenants (id, name, slug) values (${id}, 'T', ${slug})`);
        await tx.execute(
          sql`insert into users (id, tenant_id, email) values (${Bun.randomUUIDv7()}, ${id}, 'x@example.com')`,
        );
      }
      await tx.execute(sql`insert into api_keys (id, tenant_id, kind, name, secret_hash, prefix, created_by_type, created_by_id)
                           values (${Bun.randomUUIDv7()}, ${b}, 'api', 'k', ${`hash-${suffix}`}, 'sk_x', 'cli', 'op')`);
    });
    const seen = await scoped.transaction(tenantScope(a), async (tx) =>
      rowsOf(await tx.execute(sql`select current_user as who, tenant_id::text from users`)),
    );
    expect(seen).toEqual([{ who: expect.stringContaining("saas_owner_"), tenant_id: a }]);
    // The secret's owner is found by the owner's own function, which the forced policies bind too.
    const bySecret = await scoped.transaction(secretScope("api_key", `hash-${suffix}`), async (tx) =>
      rowsOf(await tx.execute(sql`select tenant_id::text from users`)),
    );
    expect(bySecret).toEqual([{ tenant_id: b }]);
  });

  test("a user with CREATEROLE gets the role created, enters it, and grants it the tables", async () => {
    const role = `saas_app_${suffix}`;
    // Registered first, so it runs last: the role holds grants in the database until that is dropped.
    cleanups.push(async () => {
      const admin = postgres(serverUrl as string, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop role if exists ${role}`).catch(() => {});
      await admin.end();
    });
    const handle = await ownedBy("nosuperuser createrole", role);
    await migrate(handle);
    expect(handle.appRole).toEqual({ name: role, active: role, problem: null });
    const [who] = await scopedDatabase(handle).transaction(tenantScope(Bun.randomUUIDv7()), async (tx) =>
      rowsOf(await tx.execute(sql`select current_user as who, count(*)::int as users from users`)),
    );
    expect(who).toEqual({ who: role, users: 0 });
  });
});
