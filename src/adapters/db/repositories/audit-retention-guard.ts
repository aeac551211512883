import { sql } from "drizzle-orm";
import type { Database } from "../database";

/**
 * audit_events refuses UPDATE, DELETE and TRUNCATE (the trigger of migration 0004), except DELETE in
 * a transaction that has set this. `set_config(..., true)` lasts until the transaction ends. Only the
 * retention cut calls it.
 */
export async function enableRetentionDeletes(tx: Database): Promise<void> {
  await tx.execute(sql`select set_config('saas.audit_retention', 'on', true)`);
}
