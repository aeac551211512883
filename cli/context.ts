import type { DatabaseHandle } from "../src/adapters/db/database";
import { migrate } from "../src/adapters/db/migrate";
import { jsonLogger } from "../src/adapters/system/json-logger";
import { openEphemeralStore } from "../src/composition/ephemeral-store";
import { composeUseCases } from "../src/composition/use-cases";
import type { Config } from "../src/config";
import type { CliIo } from "./io";
import { type Operator, operator } from "./operator";
import { output } from "./output";

/** What saasctl runs on: the terminal, the configuration and the database. The process's, or a test's. */
export interface CliRuntime {
  io: CliIo;
  config(): Config;
  openDatabase(config: Config["database"]): Promise<DatabaseHandle>;
}

export interface AppContext {
  config: Config;
  app: ReturnType<typeof composeUseCases>;
  database: DatabaseHandle;
}

const REDIS_WAIT_MS = 2_000;

/** What every command is given: the terminal, printing, and the use cases on an open database. */
export function cliContext(runtime: CliRuntime) {
  const { io } = runtime;

  /**
   * Opens what a command needs, runs it, and closes everything. The CLI's logger writes warnings
   * and errors only, to stderr, so command output stays clean.
   */
  async function withApp<T>(
    run: (context: AppContext) => Promise<T>,
    options: { migrateFirst?: boolean; config?: Config } = {},
  ): Promise<T> {
    const config = options.config ?? runtime.config();
    const logger = jsonLogger("warn", (line) => io.stderr.write(line));
    const database = await runtime.openDatabase(config.database);
    const store = openEphemeralStore(config, logger);
    try {
      // Redis takes commands only once connected: a cache write sent before would be dropped, and
      // servers would go on serving what the CLI just changed.
      if (!(await store.ready(REDIS_WAIT_MS))) {
        io.stderr.write(
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
  function asOperator<T>(run: (context: AppContext & Operator) => Promise<T>): Promise<T> {
    return withApp(async (context) => run({ ...context, ...(await operator(context.app.useCases.tenants)) }));
  }

  return { io, config: () => runtime.config(), withApp, asOperator, ...output(io) };
}

export type Cli = ReturnType<typeof cliContext>;
