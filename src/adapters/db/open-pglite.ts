import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { claimDataDir } from "./data-dir-claim";
import type { Database, DatabaseHandle } from "./database";
import * as schema from "./schema";

/**
 * The embedded database: PostgreSQL compiled to WASM, in one directory (or in memory for "memory://").
 * It is a single connection; PGlite queues queries and holds the connection for a transaction. A
 * directory is open in one process at a time: another opener gets EmbeddedDatabaseInUseError,
 * naming `holder` of this one.
 */
export async function openPglite(dataDir: string, holder = "a running server"): Promise<DatabaseHandle> {
  const inMemory = dataDir.startsWith("memory://");
  if (!inMemory) await mkdir(dataDir, { recursive: true });
  const release = inMemory ? async () => {} : await claimDataDir(dataDir, holder);
  let client: PGlite;
  try {
    client = await PGlite.create(dataDir);
  } catch (error) {
    await release();
    throw error;
  }
  const db = drizzle(client, { schema }) as unknown as Database;
  return {
    db,
    driver: "pglite",
    withMigrationLock: (work) => work(),
    async ping() {
      await client.query("select 1");
    },
    async close() {
      if (!client.closed) await client.close();
      await release();
    },
  };
}
