/**
 * `bun run db:template`: makes src/adapters/db/pglite-template/ from the migrations. It creates an
 * embedded database in a new directory (initdb), applies every embedded migration with the same
 * migrator the server runs, then dumps the directory with PGlite's own dumpDataDir (the format its
 * loadDataDir reads too) and records what made it. Run by `bun run db:generate`; a test fails when
 * the template no longer matches the migrations or the installed PGlite.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { embeddedMigrations } from "../src/adapters/db/embedded-migrations";
import { migrate, migrationHash } from "../src/adapters/db/migrate";
import { openPglite } from "../src/adapters/db/open-pglite";
import {
  installedPgliteVersion,
  TEMPLATE_ARCHIVE,
  writeTemplateManifest,
} from "../src/adapters/db/pglite-template";

const dir = await mkdtemp(join(tmpdir(), "saas-pglite-template-"));
try {
  const handle = await openPglite(dir, "the template script");
  await migrate(handle);
  await handle.close();
  // Reopened without our wrapper, for dumpDataDir; the checkpoint leaves no WAL to replay on load.
  const client = await PGlite.create(dir);
  await client.query("checkpoint");
  const dump = await client.dumpDataDir("gzip");
  await client.close();
  await Bun.write(TEMPLATE_ARCHIVE, dump);
  await writeTemplateManifest({
    pglite: installedPgliteVersion(),
    migrations: embeddedMigrations.map(migrationHash),
  });
  console.log(
    `wrote ${TEMPLATE_ARCHIVE} (${(dump.size / 1e6).toFixed(1)} MB): PGlite ${installedPgliteVersion()}, ${embeddedMigrations.length} migration(s)`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
