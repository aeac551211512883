import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "../../src/adapters/db/database";
import { embeddedMigrations } from "../../src/adapters/db/embedded-migrations";
import { migrate, migrationHash } from "../../src/adapters/db/migrate";
import { openPglite } from "../../src/adapters/db/open-pglite";
import { installedPgliteVersion, templateFits, unpackTemplate } from "../../src/adapters/db/pglite-template";
import manifest from "../../src/adapters/db/pglite-template/manifest.json";
import { allowDatabaseStartup } from "../support/slow-setup";

// The embedded quick start's template (src/adapters/db/pglite-template/) against the migrations.
// When this fails after a new migration or a PGlite upgrade: `bun run db:template`.

allowDatabaseStartup();

/** Everything the migrations make, as sorted lines: tables, columns, constraints, indexes, rows... */
const SCHEMA = sql.raw(`
  select 'column ' || table_schema || '.' || table_name || '.' || column_name || ' ' || data_type || ' '
    || is_nullable || ' ' || coalesce(column_default, '') as item
  from information_schema.columns where table_schema not in ('pg_catalog', 'information_schema')
  union all
  select 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(c.oid)
  from pg_constraint c join pg_namespace n on n.oid = c.connamespace
  where n.nspname not in ('pg_catalog', 'information_schema')
  union all
  select 'index ' || indexdef from pg_indexes where schemaname not in ('pg_catalog', 'information_schema')
  union all
  select 'policy ' || schemaname || '.' || tablename || ' ' || policyname || ' ' || cmd::text || ' '
    || coalesce(qual, '') || ' ' || coalesce(with_check, '') from pg_policies
  union all
  select 'trigger ' || pg_get_triggerdef(oid) from pg_trigger where not tgisinternal
  union all
  select 'function ' || p.oid::regprocedure::text || ' ' || md5(pg_get_functiondef(p.oid))
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname not in ('pg_catalog', 'information_schema') and p.prokind in ('f', 'p')
  union all
  select 'relation ' || c.relkind::text || ' ' || c.oid::regclass::text || ' rls=' || c.relrowsecurity::text
    || ' force=' || c.relforcerowsecurity::text || ' acl=' || coalesce(c.relacl::text, '')
    || ' rows=' || (xpath('/row/h/text()', query_to_xml(format(
      'select md5(coalesce(string_agg(t::text, %L order by t::text), %L)) as h from %s t', ',', '', c.oid::regclass
    ), false, true, '')))[1]::text
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and c.relkind in ('r', 'p')
  union all
  select 'relation ' || c.relkind::text || ' ' || c.oid::regclass::text from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and c.relkind in ('v', 'm', 'S')
  union all
  select 'role ' || rolname || ' login=' || rolcanlogin::text || ' bypassrls=' || rolbypassrls::text
  from pg_roles where rolname not like 'pg\\_%'
  union all
  select 'extension ' || extname || ' ' || extversion from pg_extension
  union all
  select 'migration ' || hash || ' ' || created_at::text from drizzle.__drizzle_migrations
  order by 1
`);

async function describeSchema(handle: DatabaseHandle): Promise<string[]> {
  const result = (await handle.db.execute(SCHEMA)) as unknown as { rows: { item: string }[] };
  return result.rows.map((row) => row.item);
}

const dirs: string[] = [];
async function newDir() {
  const dir = await mkdtemp(join(tmpdir(), "saas-template-test-"));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("the embedded database template", () => {
  test("was made by the installed PGlite from exactly the embedded migrations", () => {
    expect(manifest.pglite).toBe(installedPgliteVersion());
    expect(manifest.migrations).toEqual(embeddedMigrations.map(migrationHash));
    expect(templateFits(manifest)).toBe(true);
  });

  describe("a new data directory started from it", () => {
    let fromTemplate: DatabaseHandle;
    let fromMigrations: DatabaseHandle;
    let dir: string;
    beforeAll(async () => {
      dir = await newDir();
      fromTemplate = await openPglite(dir, "the template test", { fromTemplate: true });
      fromMigrations = await openPglite("memory://");
      await migrate(fromMigrations);
    });
    afterAll(async () => {
      await fromTemplate?.close();
      await fromMigrations?.close();
    });

    test("holds what initdb and the migrations make, and the migrator finds nothing to do", async () => {
      const before = await describeSchema(fromTemplate);
      expect(before.filter((line) => line.startsWith("migration "))).toHaveLength(embeddedMigrations.length);
      expect(before).toContainEqual(expect.stringMatching(/^relation r users rls=/));
      expect(before).toEqual(await describeSchema(fromMigrations));
      await migrate(fromTemplate);
      expect(await describeSchema(fromTemplate)).toEqual(before);
    });

    test("is a real database directory, reopened as any other", async () => {
      expect(existsSync(join(dir, "PG_VERSION"))).toBe(true);
      expect(existsSync(join(dir, ".template-unpacking"))).toBe(false);
      expect(await unpackTemplate(dir)).toBe(false);
    });
  });

  test("a directory holding other files and no database is left as it is", async () => {
    const dir = await newDir();
    await writeFile(join(dir, "notes.txt"), "mine");
    expect(await unpackTemplate(dir)).toBe(false);
    expect(await readdir(dir)).toEqual(["notes.txt"]);
  });

  test("an unpack that was cut short is done again, PG_VERSION last", async () => {
    const dir = await newDir();
    await writeFile(join(dir, ".template-unpacking"), "");
    await writeFile(join(dir, "pg_hba.conf"), "half-written");
    expect(await unpackTemplate(dir)).toBe(true);
    expect(await Bun.file(join(dir, "pg_hba.conf")).text()).not.toBe("half-written");
    expect(existsSync(join(dir, "PG_VERSION"))).toBe(true);
    expect(existsSync(join(dir, ".template-unpacking"))).toBe(false);
  });

  test("is not used with another PGlite release or a changed migration; an older template is", () => {
    expect(templateFits(manifest, "0.0.1")).toBe(false);
    const changed = embeddedMigrations.map((m, i) => (i === 0 ? { ...m, sql: `${m.sql}\n-- edited` } : m));
    expect(templateFits(manifest, manifest.pglite, changed)).toBe(false);
    const older = { ...manifest, migrations: manifest.migrations.slice(0, -1) };
    expect(templateFits(older)).toBe(true);
    expect(templateFits(manifest, manifest.pglite, embeddedMigrations.slice(0, -1))).toBe(false);
  });
});
