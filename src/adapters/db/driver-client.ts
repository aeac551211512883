import type { PGlite, Transaction as PgliteTransaction } from "@electric-sql/pglite";
import type { Sql } from "postgres";

/**
 * The driver's own client under a drizzle database or transaction: postgres.js's `sql` (bound to the
 * transaction's connection inside one) or PGlite's instance or transaction. drizzle keeps it on its
 * session without exporting it; this is the one place that reaches in.
 */
export function driverClientOf(db: unknown): Sql | PGlite | PgliteTransaction {
  return (db as { session: { client: Sql | PGlite | PgliteTransaction } }).session.client;
}
