import { describe, expect, test } from "bun:test";
import postgres from "postgres";
import { migrate } from "../../src/adapters/db/migrate";
import { openPostgres } from "../../src/adapters/db/open-postgres";
import { isolatedDatabaseEnv } from "../support/resources";

const server = process.env.TEST_DATABASE_URL;
const maybe = server ? test : test.skip;

describe("migrations on PostgreSQL", () => {
  maybe("several instances migrating at once, even with a pool of one, all succeed", async () => {
    const { DATABASE_URL: url } = await isolatedDatabaseEnv();
    const handles = await Promise.all(
      [1, 1, 5].map((maxConnections) =>
        openPostgres({ url: url!, maxConnections, statementTimeoutMs: 30_000, connectTimeoutSeconds: 5 }),
      ),
    );
    try {
      await Promise.all(handles.map((handle) => migrate(handle)));
      const sql = postgres(url!, { max: 1 });
      const [row] = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
      await sql.end();
      expect(row!.n).toBeGreaterThan(0);
    } finally {
      await Promise.all(handles.map((handle) => handle.close()));
    }
  });

  maybe("waiting for another instance's migration is not cut short by the statement timeout", async () => {
    const { DATABASE_URL: url } = await isolatedDatabaseEnv();
    const holder = postgres(url!, { max: 1 });
    const waiter = await openPostgres({
      url: url!,
      maxConnections: 2,
      statementTimeoutMs: 200,
      connectTimeoutSeconds: 5,
    });
    try {
      await holder`select pg_advisory_lock(727001)`;
      const migrating = migrate(waiter);
      await Bun.sleep(600); // three times the waiter's statement timeout
      await holder`select pg_advisory_unlock(727001)`;
      await migrating;
    } finally {
      await waiter.close();
      await holder.end();
    }
  });
});
