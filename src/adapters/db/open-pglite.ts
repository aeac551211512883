import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { appRoleState } from "./app-role";
import { claimDataDir } from "./data-dir-claim";
import type { Database, DatabaseHandle } from "./database";
import { countPgliteOperations } from "./operations-in-flight";
import { unpackTemplate } from "./pglite-template";
import * as schema from "./schema";

/**
 * The embedded database: PostgreSQL compiled to WASM, in one directory (or in memory for "memory://").
 * It is a single connection; PGlite queues queries and holds the connection for a transaction. A
 * directory is open in one process at a time: another opener gets EmbeddedDatabaseInUseError,
 * naming `holder` of this one. With `fromTemplate`, a new directory starts as a copy of the migrated
 * template (see pglite-template.ts) instead of an empty database.
 */
export async function openPglite(
  dataDir: string,
  holder = "a running server",
  { fromTemplate = false, appRole }: { fromTemplate?: boolean; appRole?: string } = {},
): Promise<DatabaseHandle> {
  const inMemory = dataDir.startsWith("memory://");
  if (!inMemory) await mkdir(dataDir, { recursive: true });
  const release = inMemory ? async () => {} : await claimDataDir(dataDir, holder);
  let client: PGlite;
  try {
    if (fromTemplate && !inMemory) await unpackTemplate(dataDir);
    client = await PGlite.create(dataDir);
  } catch (error) {
    await release();
    throw error;
  }
  const operations = countPgliteOperations(client);
  const db = drizzle(operations.client, { schema }) as unknown as Database;
  return {
    db,
    driver: "pglite",
    appRole: appRoleState(appRole),
    poolUsage: () => ({ inFlight: operations.count(), size: 1 }),
    withMigrationLock: (work) => work(),
    async ping() {
      await operations.client.query("select 1");
    },
    async close() {
      if (!client.closed) await client.close();
      await release();
    },
  };
}
