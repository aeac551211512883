/**
 * Writes the API's OpenAPI document to openapi.json without a server or a database: the app is
 * composed around a PostgreSQL client that never connects (postgres.js connects on the first query,
 * and serving the document runs none) and the in-process store. `bun run openapi`.
 */
import { openPostgres } from "../src/adapters/db/open-postgres";
import { openEphemeralStore } from "../src/composition/ephemeral-store";
import { composeServer } from "../src/composition/server";
import { loadConfig } from "../src/config";
import type { Logger } from "../src/core/ports/logger";

export const OPENAPI_DOCUMENT_PATH = new URL("../openapi.json", import.meta.url).pathname;

const quietLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** The document as the app serves it at /openapi.json, formatted as the committed file is. */
export async function renderOpenApiDocument(): Promise<string> {
  const config = loadConfig({
    NODE_ENV: "development",
    JWT_SECRET: "openapi-document-only-never-signs-a-token",
    // The document describes every route, the optional ones included.
    SIGNUP_ENABLED: "true",
  });
  const database = await openPostgres({
    url: "postgres://openapi@127.0.0.1:1/never-connected",
    maxConnections: 1,
    statementTimeoutMs: 1_000,
    connectTimeoutSeconds: 1,
  });
  const store = openEphemeralStore(config, quietLogger);
  try {
    const { app } = composeServer(config, { database, store, logger: quietLogger });
    const response = await app.handle(new Request("http://localhost/openapi.json"));
    if (!response.ok) throw new Error(`GET /openapi.json answered ${response.status}`);
    return `${JSON.stringify(await response.json(), null, 2)}\n`;
  } finally {
    await store.close();
    await database.close();
  }
}

if (import.meta.main) {
  await Bun.write(OPENAPI_DOCUMENT_PATH, await renderOpenApiDocument());
  process.stdout.write(`Wrote ${OPENAPI_DOCUMENT_PATH}\n`);
}
