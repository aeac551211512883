import { describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { openPostgres } from "../../src/adapters/db/open-postgres";
import { isolatedDatabaseEnv } from "../support/resources";

const server = process.env.TEST_DATABASE_URL;
const maybe = server ? test : test.skip;

describe("idle PostgreSQL connections", () => {
  maybe("a burst's connections are closed once idle for DB_IDLE_TIMEOUT_SECONDS", async () => {
    const { DATABASE_URL: url } = await isolatedDatabaseEnv();
    const database = new URL(url!).pathname.slice(1);
    const handle = await openPostgres({
      url: url!,
      maxConnections: 4,
      statementTimeoutMs: 30_000,
      connectTimeoutSeconds: 5,
      idleTimeoutSeconds: 1,
    });
    const observer = postgres(url!, { max: 1 });
    const open = async () => {
      const [row] =
        await observer`select count(*)::int as n from pg_stat_activity where datname = ${database} and application_name = 'saas-backend'`;
      return row!.n as number;
    };
    try {
      await Promise.all([1, 2, 3, 4].map(() => handle.db.execute(sql`select pg_sleep(0.05)`)));
      expect(await open()).toBe(4);
      await Bun.sleep(2_500);
      expect(await open()).toBe(0);
      // The pool opens connections again as work arrives.
      await handle.db.execute(sql`select 1`);
      expect(await open()).toBe(1);
    } finally {
      await observer.end();
      await handle.close();
    }
  });
});
