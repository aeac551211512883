/**
 * Writes src/adapters/db/embedded-migrations.ts from drizzle/meta/_journal.json, so the migrations
 * travel inside the server and a `bun build --compile` binary. Run by `bun run db:generate`;
 * a test fails when the file is stale.
 */
import { renderEmbeddedMigrations } from "../src/adapters/db/render-embedded-migrations";

const target = new URL("../src/adapters/db/embedded-migrations.ts", import.meta.url);
const journal = await Bun.file(new URL("../drizzle/meta/_journal.json", import.meta.url)).json();
await Bun.write(target, renderEmbeddedMigrations(journal));
console.log(`embedded ${journal.entries.length} migration(s) into ${target.pathname}`);
