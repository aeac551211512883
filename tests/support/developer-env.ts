import { SETTING_NAMES } from "../../src/config";

/**
 * `bun test` loads a `.env` from the working directory into process.env. The harness reads only
 * TEST_* variables; the app's own settings are removed so that nothing in the test process (a
 * library reading process.env, a forgotten loadConfig() default) can see a developer's DATABASE_URL.
 * NODE_ENV stays: bun test sets it to "test".
 */
export function forgetAppSettings(env: Record<string, string | undefined> = process.env) {
  for (const name of SETTING_NAMES) if (name !== "NODE_ENV") delete env[name];
}
