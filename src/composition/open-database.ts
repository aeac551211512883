import type { DatabaseHandle } from "../adapters/db/database";
import { rootCauseMessage } from "../adapters/db/db-errors";
import { openPglite } from "../adapters/db/open-pglite";
import { openPostgres } from "../adapters/db/open-postgres";
import type { Config } from "../config";

export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
}

/** Opens the configured database and proves it answers; never falls back to another one. */
export async function openDatabase(config: Config["database"]): Promise<DatabaseHandle> {
  const where =
    config.driver === "pglite" ? `embedded database at ${config.dataDir}` : "PostgreSQL at DATABASE_URL";
  let handle: DatabaseHandle | undefined;
  try {
    handle =
      config.driver === "pglite"
        ? await openPglite(config.dataDir, undefined, { fromTemplate: true, appRole: config.appRole })
        : await openPostgres(config);
    await handle.ping();
    return handle;
  } catch (error) {
    await handle?.close().catch(() => {});
    throw new DatabaseUnavailableError(`Cannot open the ${where}: ${rootCauseMessage(error)}`);
  }
}
