import type { Transaction as PgliteTransaction } from "@electric-sql/pglite";
import type { Sql } from "postgres";
import type { DataScope } from "../../core/domain/data-scope";
import type { Database, DatabaseHandle } from "./database";
import { driverClientOf } from "./driver-client";

/**
 * Transactions bound by row-level security (drizzle/0013_row_level_security.sql): each one enters the
 * application's role and sets its tenant (or its platform purpose) with one statement, local to the
 * transaction, before any other. Everything the application reads or writes goes through here; the
 * handle's own `db` runs as the connecting user and is for migrations, health checks and tests.
 */
export interface ScopedDatabase {
  transaction<T>(scope: DataScope, work: (tx: Database) => Promise<T>): Promise<T>;
}

export function scopedDatabase(handle: DatabaseHandle): ScopedDatabase {
  if (handle.driver === "pglite") {
    return {
      transaction: (scope, work) =>
        handle.db.transaction(async (tx) => {
          const { text, params } = scopeSettings(scope, handle.appRole.active);
          await (driverClientOf(tx) as PgliteTransaction).query(text, params);
          return work(tx as unknown as Database);
        }),
    };
  }
  return {
    transaction: <T>(scope: DataScope, work: (tx: Database) => Promise<T>) =>
      handle.db.transaction(async (tx) => {
        const { text, params } = scopeSettings(scope, handle.appRole.active);
        // Sent at once on the transaction's connection, so it travels with the work's first statement
        // instead of costing a round trip of its own; the connection runs statements in order. Prepared:
        // postgres.js describes an unnamed statement with parameters first and waits for the answer.
        const settled = (driverClientOf(tx) as Sql)
          .unsafe(text, params as string[], { prepare: true })
          .execute()
          .then(
            () => null,
            (error: unknown) => error,
          );
        let result: T;
        try {
          result = await work(tx as unknown as Database);
        } catch (error) {
          throw (await settled) ?? error;
        }
        const failed = await settled;
        if (failed) throw failed;
        return result;
      }),
  };
}

/** The one statement that binds a transaction: its tenant, its platform purpose and its role. */
export function scopeSettings(scope: DataScope, role: string | null): { text: string; params: unknown[] } {
  const purpose = scope.kind === "platform" ? scope.purpose : "";
  const params: unknown[] = [purpose];
  let tenant = "''";
  if (scope.kind === "tenant") {
    params.push(scope.tenantId);
    tenant = "$2";
  } else if (scope.kind === "secret") {
    params.push(scope.secret, scope.hash);
    tenant = "coalesce(app_tenant_of_secret($2, $3)::text, '')";
  }
  let text = `select set_config('app.platform', $1, true), set_config('app.tenant_id', ${tenant}, true)`;
  if (role) {
    params.push(role);
    text += `, set_config('role', $${params.length}, true)`;
  }
  return { text, params };
}
