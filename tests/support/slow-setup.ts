import { setDefaultTimeout } from "bun:test";

/**
 * Call at the top of a test file that may create an embedded database, in-process or in a child
 * process: initdb runs in WASM (~6 s), past bun's default 5 s per test and hook. The setting is per
 * file and bunfig.toml has none, hence a call in each such file.
 */
export function allowDatabaseStartup() {
  setDefaultTimeout(60_000);
}
