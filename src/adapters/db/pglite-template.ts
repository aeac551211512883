import { existsSync, readFileSync } from "node:fs";
import { readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { CLAIM_FILE } from "./data-dir-claim";
import { type EmbeddedMigration, embeddedMigrations } from "./embedded-migrations";
import { migrationHash } from "./migrate";
import manifest from "./pglite-template/manifest.json";

/**
 * A new embedded database costs ~6 s of initdb in WASM, then the migrations. The template is a data
 * directory on which initdb and every migration have already run, made by `bun run db:template`
 * (scripts/pglite-template.ts) and checked against a fresh run of the migrations by
 * tests/integration/pglite-template.test.ts. A fresh directory is filled from it in a few hundred
 * milliseconds; the migrator then runs as always and finds nothing (or only what is newer) to do.
 */
export const TEMPLATE_ARCHIVE = join(import.meta.dir, "pglite-template", "data.tar.gz");
const MANIFEST_FILE = join(import.meta.dir, "pglite-template", "manifest.json");

/** What the template was made with: the PGlite release and the hashes of the migrations applied. */
export interface TemplateManifest {
  pglite: string;
  migrations: string[];
}

/** Written while a template is being unpacked, so an interrupted unpack is redone, not trusted. */
const UNPACKING = ".template-unpacking";

export function installedPgliteVersion(): string {
  const entry = Bun.resolveSync("@electric-sql/pglite", import.meta.dir);
  const pkg = JSON.parse(readFileSync(join(dirname(entry), "..", "package.json"), "utf8"));
  return String(pkg.version);
}

export async function writeTemplateManifest(value: TemplateManifest) {
  await Bun.write(MANIFEST_FILE, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * The template can stand in for initdb and migrations only when the same PGlite release made it
 * (the on-disk format is the release's) and its migrations are the first of ours, unchanged.
 */
export function templateFits(
  made: TemplateManifest,
  pglite: string = installedPgliteVersion(),
  migrations: EmbeddedMigration[] = embeddedMigrations,
): boolean {
  return (
    made.pglite === pglite &&
    made.migrations.length <= migrations.length &&
    made.migrations.every((hash, i) => hash === migrationHash(migrations[i]!))
  );
}

/** Whether an embedded database directory holds no database yet (a first start). */
export function holdsNoDatabase(dataDir: string): boolean {
  return !dataDir.startsWith("memory://") && !existsSync(join(dataDir, "PG_VERSION"));
}

/**
 * Fills `dataDir` from the template when it holds no database yet (nothing but our claim, or an
 * unpack that was interrupted). PG_VERSION, which marks a directory as a database, is written last.
 * Returns whether it did; otherwise PGlite creates the database itself, as without a template.
 */
export async function unpackTemplate(dataDir: string): Promise<boolean> {
  if (!holdsNoDatabase(dataDir)) return false;
  const marker = join(dataDir, UNPACKING);
  const others = (await readdir(dataDir)).filter((name) => name !== CLAIM_FILE && name !== UNPACKING);
  if (others.length > 0 && !existsSync(marker)) return false;
  if (!existsSync(TEMPLATE_ARCHIVE) || !templateFits(manifest)) return false;
  await writeFile(marker, "");
  const archive = new Bun.Archive(await Bun.file(TEMPLATE_ARCHIVE).bytes());
  // postmaster.pid: the dump was taken from a running database; the lock file is not part of it.
  await archive.extract(dataDir, { glob: ["**", "!PG_VERSION", "!postmaster.pid"] });
  await archive.extract(dataDir, { glob: "PG_VERSION" });
  await rm(marker);
  return true;
}
