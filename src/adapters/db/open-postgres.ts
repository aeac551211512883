import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { appRoleState } from "./app-role";
import type { Database, DatabaseHandle } from "./database";
import { countPostgresOperations } from "./operations-in-flight";
import { preferPreparedStatements } from "./prepared-statements";
import * as schema from "./schema";

export interface PostgresOptions {
  url: string;
  maxConnections: number;
  statementTimeoutMs: number;
  connectTimeoutSeconds: number;
  /**
   * A connection idle this long is closed (0: never), and with it the statements prepared on it and
   * its PostgreSQL backend: a burst's extra connections do not stay after it.
   */
  idleTimeoutSeconds?: number;
  /** DB_APP_ROLE: the role scoped transactions enter. */
  appRole?: string;
}

// Any constant works; it only has to be the same for every instance of the app.
const MIGRATION_LOCK_KEY = 727_001;

export async function openPostgres(options: PostgresOptions): Promise<DatabaseHandle> {
  const size = Math.max(2, options.maxConnections);
  const client = postgres(options.url, {
    // The migration lock holds one connection while the migration runs on another.
    max: size,
    connect_timeout: options.connectTimeoutSeconds,
    idle_timeout: options.idleTimeoutSeconds || undefined,
    connection: { statement_timeout: options.statementTimeoutMs, application_name: "saas-backend" },
    onnotice: () => {},
  });
  const operations = countPostgresOperations(client);
  const db = drizzle(preferPreparedStatements(operations.client), { schema }) as unknown as Database;
  return {
    db,
    driver: "postgres",
    appRole: appRoleState(options.appRole),
    poolUsage: () => ({ inFlight: operations.count(), size }),
    async withMigrationLock(work) {
      // An advisory lock lives on one connection, so hold one reserved connection for the whole run.
      // Waiting for another instance's migration may take longer than any statement timeout.
      const lockConnection = await client.reserve();
      try {
        await lockConnection`set statement_timeout = 0`;
        await lockConnection`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        return await work();
      } finally {
        await lockConnection`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.catch(() => {});
        await lockConnection`reset statement_timeout`.catch(() => {});
        lockConnection.release();
      }
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}
