import { and, asc, eq, gt, isNull, notExists, or, sql } from "drizzle-orm";
import { alias, type PgColumn } from "drizzle-orm/pg-core";
import { ConflictError } from "../../../core/domain/errors";
import type { FlagRecord, FlagValueType, SegmentRecord } from "../../../core/domain/flags/flag-record";
import type {
  FlagConstraint,
  FlagDependency,
  FlagStrategy,
  FlagVariant,
} from "../../../core/domain/flags/types";
import type { FeatureFlagRepository } from "../../../core/ports/repositories";
import type { Database } from "../database";
import { withConflicts } from "../db-errors";
import { featureFlags, segments } from "../schema";

type FlagRow = typeof featureFlags.$inferSelect;
type SegmentRow = typeof segments.$inferSelect;

export const toFlag = ({ valueType, ...row }: FlagRow): FlagRecord => ({
  ...row,
  type: valueType as FlagValueType,
  strategies: row.strategies as FlagStrategy[],
  variants: row.variants as FlagVariant[],
  dependencies: row.dependencies as FlagDependency[],
});

const toSegment = (row: SegmentRow): SegmentRecord => ({
  ...row,
  constraints: row.constraints as FlagConstraint[],
});

const scopeOf = (column: PgColumn, tenantId: string | null) =>
  tenantId === null ? isNull(column) : eq(column, tenantId);

export function featureFlagRepository(db: Database): FeatureFlagRepository {
  return {
    async findById(id, options) {
      const query = db.select().from(featureFlags).where(eq(featureFlags.id, id));
      const [row] = options?.lock ? await query.for("update") : await query;
      return row ? toFlag(row) : null;
    },
    async findByKey(tenantId, key) {
      const [row] = await db
        .select()
        .from(featureFlags)
        .where(and(scopeOf(featureFlags.tenantId, tenantId), eq(featureFlags.key, key)));
      return row ? toFlag(row) : null;
    },
    async listVisible(tenantId, page) {
      const own = alias(featureFlags, "own");
      const rows = await db
        .select()
        .from(featureFlags)
        .where(
          and(
            or(
              eq(featureFlags.tenantId, tenantId),
              and(
                isNull(featureFlags.tenantId),
                notExists(
                  db
                    .select({ one: sql`1` })
                    .from(own)
                    .where(and(eq(own.tenantId, tenantId), eq(own.key, featureFlags.key))),
                ),
              ),
            ),
            page.after ? gt(featureFlags.id, page.after) : undefined,
          ),
        )
        .orderBy(asc(featureFlags.id))
        .limit(page.limit + 1);
      return rows.map(toFlag);
    },
    async create({ type, ...flag }) {
      const [row] = await withConflicts(
        () =>
          db
            .insert(featureFlags)
            .values({ ...flag, valueType: type })
            .returning(),
        {
          feature_flags_tenant_key_key: () =>
            new ConflictError("FLAG_KEY_TAKEN", `A flag with the key "${flag.key}" exists.`),
        },
      );
      return toFlag(row!);
    },
    async update(id, { type, ...fields }, at) {
      const [row] = await db
        .update(featureFlags)
        .set({
          ...fields,
          ...(type ? { valueType: type } : {}),
          version: sql`${featureFlags.version} + 1`,
          updatedAt: at,
        })
        .where(eq(featureFlags.id, id))
        .returning();
      return row ? toFlag(row) : null;
    },
    async delete(id) {
      const rows = await db
        .delete(featureFlags)
        .where(eq(featureFlags.id, id))
        .returning({ id: featureFlags.id });
      return rows.length > 0;
    },
    async definitions(tenantId) {
      const [flagRows, segmentRows] = [
        await db
          .select()
          .from(featureFlags)
          .where(scopeOf(featureFlags.tenantId, tenantId))
          .orderBy(asc(featureFlags.key)),
        await db.select().from(segments).where(scopeOf(segments.tenantId, tenantId)),
      ];
      return { flags: flagRows.map(toFlag), segments: segmentRows.map(toSegment) };
    },
    async lockScope(tenantId, mode) {
      const key = `feature_flags:${tenantId ?? "platform"}`;
      await db.execute(
        mode === "shared"
          ? sql`select pg_advisory_xact_lock_shared(hashtext(${key}))`
          : sql`select pg_advisory_xact_lock(hashtext(${key}))`,
      );
    },
    async countDependents(tenantId, key) {
      const own = alias(featureFlags, "own");
      // Containment finds any dependency naming the key, whatever else it says.
      const dependsOnKey = sql`${featureFlags.dependencies} @> ${JSON.stringify([{ feature: key }])}::jsonb`;
      const inScope =
        tenantId !== null
          ? eq(featureFlags.tenantId, tenantId)
          : or(
              isNull(featureFlags.tenantId),
              notExists(
                db
                  .select({ one: sql`1` })
                  .from(own)
                  .where(and(eq(own.tenantId, featureFlags.tenantId), eq(own.key, key))),
              ),
            );
      const [row] = await db
        .select({ count: sql<number>`count(*)::int` })
        .from(featureFlags)
        .where(and(dependsOnKey, inScope));
      return row?.count ?? 0;
    },
  };
}
