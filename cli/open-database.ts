import { checkAppRole } from "../src/adapters/db/app-role";
import type { DatabaseHandle } from "../src/adapters/db/database";
import { rootCauseMessage } from "../src/adapters/db/db-errors";
import { openPglite } from "../src/adapters/db/open-pglite";
import { DatabaseUnavailableError, openDatabase } from "../src/composition/open-database";
import type { Config } from "../src/config";

/** Inside `bun build --compile` output, PGlite's WASM assets are missing (see STACK-NOTES). */
function isCompiledBinary(): boolean {
  return import.meta.url.includes("$bunfs") || import.meta.path.startsWith("/$bunfs");
}

/**
 * The configured database, as the server opens it, except that an embedded one is claimed in the
 * name of saasctl: a server started meanwhile says who holds it.
 */
export async function openCliDatabase(config: Config["database"]): Promise<DatabaseHandle> {
  const handle = await openEither(config);
  // The server learns whether it can enter the role when it migrates; saasctl may not migrate.
  await checkAppRole(handle.db, handle.appRole).catch(async (error: unknown) => {
    await handle.close().catch(() => {});
    throw error;
  });
  return handle;
}

async function openEither(config: Config["database"]): Promise<DatabaseHandle> {
  if (config.driver !== "pglite") return openDatabase(config);
  if (isCompiledBinary()) {
    throw new DatabaseUnavailableError(
      "The compiled saasctl cannot open the embedded PGlite database: set DATABASE_URL, or run `bun run saasctl`.",
    );
  }
  let handle: DatabaseHandle | undefined;
  try {
    handle = await openPglite(config.dataDir, "saasctl", { appRole: config.appRole });
    await handle.ping();
    return handle;
  } catch (error) {
    await handle?.close().catch(() => {});
    throw new DatabaseUnavailableError(
      `Cannot open the embedded database at ${config.dataDir}: ${rootCauseMessage(error)}`,
    );
  }
}
