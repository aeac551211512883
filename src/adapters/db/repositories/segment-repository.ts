import { and, asc, eq, gt, isNull, or, sql } from "drizzle-orm";
import { ConflictError } from "../../../core/domain/errors";
import type { SegmentRecord } from "../../../core/domain/flags/flag-record";
import type { FlagConstraint } from "../../../core/domain/flags/types";
import type { SegmentRepository } from "../../../core/ports/repositories";
import type { Database } from "../database";
import { withConflicts } from "../db-errors";
import { featureFlags, segments } from "../schema";
import { toFlag } from "./feature-flag-repository";

type Row = typeof segments.$inferSelect;

const toSegment = (row: Row): SegmentRecord => ({ ...row, constraints: row.constraints as FlagConstraint[] });

const nameTaken = (name: string) => () =>
  new ConflictError("SEGMENT_NAME_TAKEN", `A segment named "${name}" exists.`);

export function segmentRepository(db: Database): SegmentRepository {
  return {
    async findById(id, options) {
      const query = db.select().from(segments).where(eq(segments.id, id));
      const [row] = options?.lock ? await query.for("update") : await query;
      return row ? toSegment(row) : null;
    },
    async listVisible(tenantId, page) {
      const rows = await db
        .select()
        .from(segments)
        .where(
          and(
            or(eq(segments.tenantId, tenantId), isNull(segments.tenantId)),
            page.after ? gt(segments.id, page.after) : undefined,
          ),
        )
        .orderBy(asc(segments.id))
        .limit(page.limit + 1);
      return rows.map(toSegment);
    },
    async create(segment) {
      const [row] = await withConflicts(() => db.insert(segments).values(segment).returning(), {
        segments_tenant_name_key: nameTaken(segment.name),
      });
      return toSegment(row!);
    },
    async update(id, patch, at) {
      const [row] = await withConflicts(
        () =>
          db
            .update(segments)
            .set({ ...patch, updatedAt: at })
            .where(eq(segments.id, id))
            .returning(),
        { segments_tenant_name_key: nameTaken(patch.name ?? "") },
      );
      return row ? toSegment(row) : null;
    },
    async delete(id) {
      const rows = await db.delete(segments).where(eq(segments.id, id)).returning({ id: segments.id });
      return rows.length > 0;
    },
    async usedBy(id) {
      // A strategy's `segments` holds ids as JSON strings: containment finds any strategy naming it.
      const rows = await db
        .select({ key: featureFlags.key })
        .from(featureFlags)
        .where(sql`${featureFlags.strategies} @> ${JSON.stringify([{ segments: [id] }])}::jsonb`)
        .orderBy(asc(featureFlags.key));
      return rows.map((row) => row.key);
    },
    async flagsUsing(id) {
      const rows = await db
        .select()
        .from(featureFlags)
        .where(sql`${featureFlags.strategies} @> ${JSON.stringify([{ segments: [id] }])}::jsonb`);
      return rows.map(toFlag);
    },
  };
}
