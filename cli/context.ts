import { migrate } from "../src/adapters/db/migrate";
import { jsonLogger } from "../src/adapters/system/json-logger";
import { compose, openDatabase, openEphemeralStore } from "../src/composition";
import { type Config, loadConfig } from "../src/config";

/**
 * Opens what a command needs, runs it, and closes everything. The CLI's logger writes warnings
 * and errors only, to stderr, so command output stays clean.
 */
export async function withApp<T>(
  run: (context: {
    config: Config;
    app: ReturnType<typeof compose>;
    database: Awaited<ReturnType<typeof openDatabase>>;
  }) => Promise<T>,
  options: { migrateFirst?: boolean } = {},
): Promise<T> {
  const config = loadConfig();
  const logger = jsonLogger("warn", (line) => process.stderr.write(line));
  const database = await openDatabase(config.database);
  const store = openEphemeralStore(config, logger);
  try {
    if (options.migrateFirst) await migrate(database);
    return await run({ config, app: compose(config, { database, store, logger }), database });
  } finally {
    await store.close();
    await database.close();
  }
}
