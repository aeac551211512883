/**
 * The second wall: PostgreSQL row-level security, proven below the repositories. Every statement here
 * is raw SQL without a tenant filter, run in the application's scoped transactions, on PostgreSQL
 * (when TEST_DATABASE_URL is set) and on the embedded database alike.
 */
import { describe, expect, test } from "bun:test";
import { type SQL, sql } from "drizzle-orm";
import type { Database, DatabaseHandle } from "../../src/adapters/db/database";
import { scopedDatabase } from "../../src/adapters/db/scoped-database";
import {
  anonymousScope,
  type DataScope,
  platformScope,
  secretScope,
  tenantScope,
} from "../../src/core/domain/data-scope";
import { embeddedDatabase, realPostgres } from "../support/resources";

type Row = Record<string, unknown>;

async function rows(db: Database, query: SQL): Promise<Row[]> {
  const result = await db.execute(query);
  return Array.isArray(result) ? (result as Row[]) : (result as unknown as { rows: Row[] }).rows;
}

const id = () => Bun.randomUUIDv7();

/** One tenant's parents (a user, a session, a webhook endpoint and message) and a row in every tenant table. */
interface Fixture {
  tenantId: string;
  userId: string;
  sessionId: string;
  endpointId: string;
  messageId: string;
  refreshTokenHash: string;
}

/** A row of each tenant table for `f`'s tenant, with values unique to `tag`. */
function tenantRows(f: Fixture, tag: string): Record<string, SQL> {
  const t = f.tenantId;
  const later = sql`now() + interval '1 day'`;
  return {
    users: sql`insert into users (id, tenant_id, email) values (${id()}, ${t}, ${`${tag}@rls.test`})`,
    role_customisations: sql`insert into role_customisations (tenant_id, role) values (${t}, 'guest')`,
    role_permissions: sql`insert into role_permissions (tenant_id, role, permission) values (${t}, 'guest', ${`rls:${tag}`})`,
    sessions: sql`insert into sessions (id, tenant_id, user_id, expires_at) values (${id()}, ${t}, ${f.userId}, ${later})`,
    refresh_tokens: sql`insert into refresh_tokens (id, tenant_id, session_id, token_hash, expires_at) values (${id()}, ${t}, ${f.sessionId}, ${`rt-${tag}`}, ${later})`,
    one_time_tokens: sql`insert into one_time_tokens (id, tenant_id, user_id, purpose, token_hash, expires_at) values (${id()}, ${t}, ${f.userId}, 'password_reset', ${`ott-${tag}`}, ${later})`,
    api_keys: sql`insert into api_keys (id, tenant_id, kind, name, secret_hash, prefix, created_by_type, created_by_id) values (${id()}, ${t}, 'api', 'k', ${`ak-${tag}`}, 'sk_x', 'user', ${f.userId})`,
    audit_chain_heads: sql`insert into audit_chain_heads (tenant_id, last_seq, last_hash) values (${t}, 1, 'h')`,
    audit_checkpoints: sql`insert into audit_checkpoints (tenant_id, first_seq, prev_hash) values (${t}, 1, 'h')`,
    audit_events: sql`insert into audit_events (id, tenant_id, seq, actor_type, action, resource_type, outcome, prev_hash, hash) values (${id()}, ${t}, ${Math.floor(Math.random() * 1e9)}, 'system', 'rls.test', 'test', 'success', 'p', 'h')`,
    feature_flags: sql`insert into feature_flags (id, tenant_id, key, name) values (${id()}, ${t}, ${`flag-${tag}`}, 'f')`,
    segments: sql`insert into segments (id, tenant_id, name) values (${id()}, ${t}, ${`segment-${tag}`})`,
    flag_metrics: sql`insert into flag_metrics (tenant_id, flag_key, hour) values (${t}, ${`flag-${tag}`}, date_trunc('hour', now()))`,
    mfa_challenges: sql`insert into mfa_challenges (id, tenant_id, user_id, token_hash, expires_at) values (${id()}, ${t}, ${f.userId}, ${`mfa-${tag}`}, ${later})`,
    user_mfa: sql`insert into user_mfa (user_id, tenant_id, secret_sealed) values (${f.userId}, ${t}, 'sealed')`,
    webhook_endpoints: sql`insert into webhook_endpoints (id, tenant_id, url, events, secret_sealed) values (${id()}, ${t}, 'https://example.test/hook', ${sql`array['user.created']`}, 'sealed')`,
    webhook_messages: sql`insert into webhook_messages (id, tenant_id, endpoint_id, event_type, payload, next_attempt_at) values (${id()}, ${t}, ${f.endpointId}, 'user.created', '{}'::jsonb, now())`,
    webhook_attempts: sql`insert into webhook_attempts (id, message_id, tenant_id, attempted_at, duration_ms) values (${id()}, ${f.messageId}, ${t}, now(), 1)`,
  };
}

async function createTenant(db: Database, name: string): Promise<Fixture> {
  const f: Fixture = {
    tenantId: id(),
    userId: id(),
    sessionId: id(),
    endpointId: id(),
    messageId: id(),
    refreshTokenHash: `rt-${name}`,
  };
  const t = f.tenantId;
  await db.execute(
    sql`insert into tenants (id, name, slug) values (${t}, ${name}, ${`${name}-${t.slice(-12)}`})`,
  );
  await db.execute(
    sql`insert into users (id, tenant_id, email) values (${f.userId}, ${t}, ${`owner-${name}@rls.test`})`,
  );
  await db.execute(
    sql`insert into sessions (id, tenant_id, user_id, expires_at) values (${f.sessionId}, ${t}, ${f.userId}, now() + interval '1 day')`,
  );
  await db.execute(
    sql`insert into webhook_endpoints (id, tenant_id, url, events, secret_sealed) values (${f.endpointId}, ${t}, 'https://example.test/hook', array['user.created'], 'sealed')`,
  );
  await db.execute(
    sql`insert into webhook_messages (id, tenant_id, endpoint_id, event_type, payload, next_attempt_at) values (${f.messageId}, ${t}, ${f.endpointId}, 'user.created', '{}'::jsonb, now())`,
  );
  const { users: _owner, user_mfa: _mfa, ...rest } = tenantRows(f, name);
  await db.execute(
    sql`insert into user_mfa (user_id, tenant_id, secret_sealed) values (${f.userId}, ${t}, 'sealed')`,
  );
  for (const insert of Object.values(rest)) await db.execute(insert);
  return f;
}

const TENANT_TABLES = Object.keys(
  tenantRows(
    { tenantId: "", userId: "", sessionId: "", endpointId: "", messageId: "", refreshTokenHash: "" },
    "",
  ),
);
/** Tables whose tenant_id may be null: platform-wide rows every tenant reads. */
const PLATFORM_WIDE = new Set(["feature_flags", "segments"]);

class RolledBack extends Error {}

/** Runs `work` in a scoped transaction and rolls it back, returning what `work` returned. */
async function inScope<T>(
  handle: DatabaseHandle,
  scope: DataScope,
  work: (tx: Database) => Promise<T>,
): Promise<T> {
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

const tenantIds = (found: Row[]) =>
  [...new Set(found.map((r) => (r.tenant_id ?? null) as string | null))].sort();

async function proveOn(name: string, open: () => Promise<DatabaseHandle | null>) {
  const handle = await open();
  describe.skipIf(!handle)(`row-level security on ${name}`, () => {
    const h = handle as DatabaseHandle;
    let a: Fixture;
    let b: Fixture;
    let c: Fixture;

    test("every table of the live schema has forced row-level security and a policy", async () => {
      const tables = await rows(
        h.db,
        sql`select c.relname as name, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
                   (select count(*) from pg_policies p where p.schemaname = 'public' and p.tablename = c.relname)::int as policies,
                   exists (select 1 from information_schema.columns k where k.table_schema = 'public'
                           and k.table_name = c.relname and k.column_name = 'tenant_id') as tenant_owned
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'public' and c.relkind in ('r', 'p')`,
      );
      const unguarded = tables.filter((t) => !t.enabled || !t.forced || Number(t.policies) === 0);
      expect(unguarded.map((t) => t.name)).toEqual([]);
      // The proof below covers every tenant-owned table there is: a new one must be added to it.
      const tenantOwned = tables.filter((t) => t.tenant_owned).map((t) => t.name as string);
      expect(tenantOwned.sort()).toEqual([...TENANT_TABLES].sort());
    });

    test("transactions run as the application's role, which does not bypass row-level security", async () => {
      expect(h.appRole.active).toBe("saas_app");
      const [who] = await inScope(h, tenantScope(id()), (tx) =>
        rows(
          tx,
          sql`select current_user as role, r.rolsuper as superuser, r.rolbypassrls as bypass
              from pg_roles r where r.rolname = current_user`,
        ),
      );
      expect(who).toEqual({ role: "saas_app", superuser: false, bypass: false });
    });

    test("two tenants with a row in every tenant table", async () => {
      a = await createTenant(h.db, "rls-a");
      b = await createTenant(h.db, "rls-b");
      c = await createTenant(h.db, "rls-c");
      await h.db.execute(
        sql`insert into feature_flags (id, tenant_id, key, name) values (${id()}, null, ${`wide-${a.tenantId}`}, 'w')`,
      );
      await h.db.execute(
        sql`insert into segments (id, tenant_id, name) values (${id()}, null, ${`wide-${a.tenantId}`})`,
      );
    });

    for (const table of TENANT_TABLES) {
      describe(table, () => {
        const visible = (tenant: string) => (PLATFORM_WIDE.has(table) ? [null, tenant].sort() : [tenant]);

        test("SELECT without WHERE sees only the scope tenant's rows", async () => {
          const seen = await inScope(h, tenantScope(a.tenantId), (tx) =>
            rows(tx, sql`select tenant_id::text from ${sql.identifier(table)}`),
          );
          expect(seen.length).toBeGreaterThan(0);
          expect(tenantIds(seen)).toEqual(visible(a.tenantId));
        });

        test("UPDATE without WHERE touches only the scope tenant's rows", async () => {
          if (table === "audit_events") {
            // Append-only for everyone (0004): its trigger refuses any UPDATE the policies let through.
            const error = await inScope(h, tenantScope(a.tenantId), (tx) =>
              rows(tx, sql`update audit_events set action = action returning tenant_id::text`).catch(
                (e) => e,
              ),
            );
            expect(String(error?.cause?.message ?? error?.message)).toContain("append-only");
            return;
          }
          const touched = await inScope(h, tenantScope(a.tenantId), (tx) =>
            rows(
              tx,
              sql`update ${sql.identifier(table)} set tenant_id = tenant_id returning tenant_id::text`,
            ),
          );
          expect(touched.length).toBeGreaterThan(0);
          expect(tenantIds(touched)).toEqual([a.tenantId]);
        });

        test("DELETE without WHERE removes only the scope tenant's rows", async () => {
          const removed = await inScope(h, tenantScope(a.tenantId), async (tx) => {
            // Retention's own switch (0004), so the append-only trigger lets the policies decide.
            if (table === "audit_events")
              await tx.execute(sql`select set_config('saas.audit_retention', 'on', true)`);
            return rows(tx, sql`delete from ${sql.identifier(table)} returning tenant_id::text`);
          });
          expect(removed.length).toBeGreaterThan(0);
          expect(tenantIds(removed)).toEqual([a.tenantId]);
          const left = await rows(
            h.db,
            sql`select count(*)::int as n from ${sql.identifier(table)} where tenant_id = ${b.tenantId}`,
          );
          expect(left[0]?.n).toBeGreaterThan(0);
        });

        test("INSERT of another tenant's row fails", async () => {
          const target = table === "audit_chain_heads" || table === "audit_checkpoints" ? c : b;
          const fresh = await createParentsOnly(h, target);
          const insert = tenantRows(fresh, `insert-${id()}`)[table] as SQL;
          const error = await inScope(h, tenantScope(a.tenantId), (tx) =>
            tx.execute(insert).then(
              () => null,
              (e) => e,
            ),
          );
          expect(error).not.toBeNull();
          expect(String(error?.cause?.message ?? error?.message)).toContain("row-level security");
        });

        test("with no tenant set nothing is visible", async () => {
          const seen = await inScope(h, anonymousScope, (tx) =>
            rows(tx, sql`select tenant_id::text from ${sql.identifier(table)}`),
          );
          expect(tenantIds(seen)).toEqual(PLATFORM_WIDE.has(table) ? [null] : []);
        });
      });
    }

    test("a secret's scope sees its owner's rows and no one else's", async () => {
      const seen = await inScope(h, secretScope("refresh_token", b.refreshTokenHash), (tx) =>
        rows(tx, sql`select tenant_id::text from users`),
      );
      expect(tenantIds(seen)).toEqual([b.tenantId]);
      const none = await inScope(h, secretScope("refresh_token", "no-such-token"), (tx) =>
        rows(tx, sql`select tenant_id::text from users`),
      );
      expect(none).toEqual([]);
    });

    test("the platform scope sees every tenant, and says why", async () => {
      const [seen] = await inScope(h, platformScope("maintenance"), (tx) =>
        rows(
          tx,
          sql`select count(distinct tenant_id)::int as tenants, current_setting('app.platform') as purpose
              from users where tenant_id in (${a.tenantId}, ${b.tenantId}, ${c.tenantId})`,
        ),
      );
      expect(seen).toEqual({ tenants: 3, purpose: "maintenance" });
    });

    test("the tenant directory is readable in every scope; tenants are created and deleted only by platform work", async () => {
      const listed = await inScope(h, anonymousScope, (tx) =>
        rows(tx, sql`select id::text from tenants where id in (${a.tenantId}, ${b.tenantId})`),
      );
      expect(listed).toHaveLength(2);
      const created = await inScope(h, tenantScope(a.tenantId), (tx) =>
        tx.execute(sql`insert into tenants (id, name, slug) values (${id()}, 'x', ${`x-${id()}`})`).then(
          () => null,
          (e) => e,
        ),
      );
      expect(String(created?.cause?.message ?? created?.message)).toContain("row-level security");
      const renamed = await inScope(h, tenantScope(a.tenantId), (tx) =>
        rows(tx, sql`update tenants set name = name returning id::text`),
      );
      expect(renamed.map((r) => r.id)).toEqual([a.tenantId]);
      const deleted = await inScope(h, tenantScope(a.tenantId), (tx) =>
        rows(tx, sql`delete from tenants returning id::text`),
      );
      expect(deleted).toEqual([]);
    });

    test("platform-wide flags are read by every tenant and written only by platform work", async () => {
      const changed = await inScope(h, tenantScope(a.tenantId), (tx) =>
        rows(tx, sql`update feature_flags set name = name where tenant_id is null returning id::text`),
      );
      expect(changed).toEqual([]);
      const byPlatform = await inScope(h, platformScope("platform-wide flags"), (tx) =>
        rows(tx, sql`update feature_flags set name = name where tenant_id is null returning id::text`),
      );
      expect(byPlatform.length).toBeGreaterThan(0);
    });

    test("job bookkeeping is visible to platform work only", async () => {
      await h.db.execute(sql`insert into job_runs (name, last_started_at) values (${`rls-${id()}`}, now())`);
      const byTenant = await inScope(h, tenantScope(a.tenantId), (tx) =>
        rows(tx, sql`select name from job_runs`),
      );
      expect(byTenant).toEqual([]);
      const byJobs = await inScope(h, platformScope("background jobs"), (tx) =>
        rows(tx, sql`select name from job_runs`),
      );
      expect(byJobs.length).toBeGreaterThan(0);
    });
  });
}

/** Fresh parents in `f`'s tenant, so an insert test meets no unique key before the policy. */
async function createParentsOnly(h: DatabaseHandle, f: Fixture): Promise<Fixture> {
  const fresh = { ...f, userId: id(), sessionId: id(), endpointId: id(), messageId: id() };
  const t = f.tenantId;
  await h.db.execute(
    sql`insert into users (id, tenant_id, email) values (${fresh.userId}, ${t}, ${`p-${fresh.userId}@rls.test`})`,
  );
  await h.db.execute(
    sql`insert into sessions (id, tenant_id, user_id, expires_at) values (${fresh.sessionId}, ${t}, ${fresh.userId}, now() + interval '1 day')`,
  );
  await h.db.execute(
    sql`insert into webhook_endpoints (id, tenant_id, url, events, secret_sealed) values (${fresh.endpointId}, ${t}, 'https://example.test/hook', array['user.created'], 'sealed')`,
  );
  await h.db.execute(
    sql`insert into webhook_messages (id, tenant_id, endpoint_id, event_type, payload, next_attempt_at) values (${fresh.messageId}, ${t}, ${fresh.endpointId}, 'user.created', '{}'::jsonb, now())`,
  );
  return fresh;
}

await proveOn("PostgreSQL", realPostgres);
await proveOn("the embedded database (PGlite)", embeddedDatabase);
