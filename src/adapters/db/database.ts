import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { AppRoleState } from "./app-role";
import type * as schema from "./schema";

export type Schema = typeof schema;

/** A drizzle database or transaction on either driver (PGlite or postgres.js). */
export type Database = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

/** See operations-in-flight.ts: connections in use are min(inFlight, size). */
export interface PoolUsage {
  /** Statements outside transactions and transactions the client was given and has not finished. */
  inFlight: number;
  /** The connections the client may open. */
  size: number;
}

export interface DatabaseHandle {
  db: Database;
  driver: "pglite" | "postgres";
  /** The role scoped transactions enter (see scoped-database.ts); set by migrate() and checkAppRole(). */
  appRole: AppRoleState;
  poolUsage(): PoolUsage;
  /** Serialises migrations across processes sharing the database. */
  withMigrationLock<T>(work: () => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
