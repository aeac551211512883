import { createHash } from "node:crypto";
import type { PgDialect, PgSession } from "drizzle-orm/pg-core";
import { checkAppRole, provisionAppRole } from "./app-role";
import type { DatabaseHandle } from "./database";
import { type EmbeddedMigration, embeddedMigrations } from "./embedded-migrations";

/** The hash drizzle records for an applied migration. */
export function migrationHash(m: EmbeddedMigration): string {
  return createHash("sha256").update(m.sql).digest("hex");
}

/** drizzle's MigrationMeta, built from the embedded files exactly as its folder reader would. */
function toMigrationMeta(m: EmbeddedMigration) {
  return {
    sql: m.sql.split("--> statement-breakpoint"),
    bps: m.breakpoints,
    folderMillis: m.when,
    hash: migrationHash(m),
  };
}

/**
 * Applies every migration not yet applied, in one transaction, under a cross-process lock. Uses
 * drizzle's own bookkeeping table, so `drizzle-kit migrate` and this agree on what is applied. Then
 * provisions the application's role (app-role.ts) and checks that transactions can enter it.
 */
export async function migrate(handle: DatabaseHandle, migrations: EmbeddedMigration[] = embeddedMigrations) {
  // drizzle's per-driver migrate() reads a folder; the dialect method takes the parsed list instead.
  const { dialect, session } = handle.db as unknown as { dialect: PgDialect; session: PgSession };
  await handle.withMigrationLock(async () => {
    await dialect.migrate(migrations.map(toMigrationMeta), session, { migrationsFolder: "" });
    await provisionAppRole(handle.db, handle.appRole);
  });
  await checkAppRole(handle.db, handle.appRole);
}
