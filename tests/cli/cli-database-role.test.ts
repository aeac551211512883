import { expect, test } from "bun:test";
import { openCliDatabase } from "../../cli/open-database";
import { migrate } from "../../src/adapters/db/migrate";
import { openPglite } from "../../src/adapters/db/open-pglite";
import { loadConfig } from "../../src/config";
import { isolatedDatabaseEnv } from "../support/resources";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

test("saasctl's transactions enter the application role, so row-level security binds the CLI too", async () => {
  const env = await isolatedDatabaseEnv();
  const config = loadConfig(env);
  if (config.database.driver === "pglite") {
    const first = await openPglite(config.database.dataDir, "the test");
    await migrate(first);
    await first.close();
  } else {
    const first = await openCliDatabase(config.database);
    await migrate(first);
    await first.close();
  }
  const handle = await openCliDatabase(config.database);
  try {
    expect(handle.appRole).toEqual({ name: "saas_app", active: "saas_app", problem: null });
  } finally {
    await handle.close();
  }
});
