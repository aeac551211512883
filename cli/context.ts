import type { DatabaseHandle } from "../src/adapters/db/database";
import { migrate } from "../src/adapters/db/migrate";
import { jsonLogger } from "../src/adapters/system/json-logger";
import { openEphemeralStore } from "../src/composition/ephemeral-store";
import { composeUseCases } from "../src/composition/use-cases";
import { type Config, loadConfig } from "../src/config";
import { openCliDatabase } from "./open-database";
import { type Operator, operator } from "./operator";

export interface AppContext {
  config: Config;
  app: ReturnType<typeof composeUseCases>;
  database: DatabaseHandle;
}

const REDIS_WAIT_MS = 2_000;

/**
 * Opens what a command needs, runs it, and closes everything. The CLI's logger writes warnings
 * and errors only, to stderr, so command output stays clean.
 */
export async function withApp<T>(
  run: (context: AppContext) => Promise<T>,
  options: { migrateFirst?: boolean; config?: Config } = {},
): Promise<T> {
  const config = options.config ?? loadConfig();
  const logger = jsonLogger("warn", (line) => process.stderr.write(line));
  const database = await openCliDatabase(config.database);
  const store = openEphemeralStore(config, logger);
  try {
    // Redis takes commands only once connected: a cache write sent before would be dropped, and
    // servers would go on serving what the CLI just changed.
    if (!(await store.ready(REDIS_WAIT_MS))) {
      process.stderr.write(
        "saasctl: warning: Redis at REDIS_URL does not answer; running servers may serve cached state until it expires.\n",
      );
    }
    if (options.migrateFirst) await migrate(database);
    return await run({ config, app: composeUseCases(config, { database, store }), database });
  } finally {
    await store.close();
    await database.close();
  }
}

/** As withApp, acting as the operator (see operator.ts). */
export function asOperator<T>(run: (context: AppContext & Operator) => Promise<T>): Promise<T> {
  return withApp(async (context) => run({ ...context, ...(await operator(context.app.useCases.tenants)) }));
}
