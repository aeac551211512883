import type { RequestOrigin } from "../../domain/audit";
import { changedFields } from "../../domain/changed-fields";
import { ConflictError, NotFoundError, ValidationError } from "../../domain/errors";
import type { SegmentRecord } from "../../domain/flags/flag-record";
import type { FlagConstraint } from "../../domain/flags/types";
import { segmentProblems } from "../../domain/flags/validate-flag";
import { type Page, type PageRequest, toPage } from "../../domain/pagination";
import type { Clock } from "../../ports/clock";
import type { IdGenerator } from "../../ports/id-generator";
import type { Repositories, SegmentPatch, SegmentRepository, UnitOfWork } from "../../ports/repositories";
import type { Authorize } from "../auth/authorize";
import { type FlagActing, requireFlagAccess, visibleTo, writableBy } from "./flag-access";
import type { FlagDefinitionsReader } from "./flag-definitions";
import { scopedEvent } from "./scoped-event";

export interface ManageSegmentsDeps {
  uow: UnitOfWork;
  segments: Pick<SegmentRepository, "findById" | "listVisible">;
  definitions: Pick<FlagDefinitionsReader, "publish">;
  authorize: Authorize;
  clock: Clock;
  ids: IdGenerator;
}

export interface NewSegmentInput {
  name: string;
  description?: string | null;
  constraints: FlagConstraint[];
  /** A platform-wide segment (platform:flags), for the flags of every tenant. */
  platform?: boolean;
}

const notFound = () => new NotFoundError("SEGMENT_NOT_FOUND", "No such segment.");

function assertValid(segment: { name: string; constraints: FlagConstraint[] }) {
  const problems = segmentProblems(segment);
  if (problems.length > 0) {
    throw new ValidationError("INVALID_SEGMENT", "The segment is not valid.", problems);
  }
}

/**
 * Segments: named constraint sets that flag strategies refer to by id, with the flags' access rules.
 * A change reaches every flag using the segment at once (the scope's definitions are republished).
 */
export function makeManageSegments(deps: ManageSegmentsDeps) {
  const { uow, segments, definitions, authorize, clock, ids } = deps;

  const visible = async (acting: FlagActing, id: string) =>
    visibleTo(acting, await segments.findById(id), notFound);
  const writable = (acting: FlagActing, id: string) =>
    writableBy(authorize, acting, () => segments.findById(id), notFound);

  async function audit(
    repos: Repositories,
    acting: FlagActing,
    segment: SegmentRecord,
    action: string,
    metadata: Record<string, unknown>,
    origin: RequestOrigin,
  ) {
    await repos.audit.append(
      scopedEvent(acting, segment, "segment", action, { name: segment.name, ...metadata }),
      origin,
    );
  }

  return {
    async list(acting: FlagActing, page: PageRequest): Promise<Page<SegmentRecord>> {
      await requireFlagAccess(authorize, acting, "flags:read");
      return toPage(await segments.listVisible(acting.tenant.id, page), page.limit);
    },

    async get(acting: FlagActing, id: string): Promise<SegmentRecord> {
      await requireFlagAccess(authorize, acting, "flags:read");
      return visible(acting, id);
    },

    async create(acting: FlagActing, input: NewSegmentInput, origin: RequestOrigin): Promise<SegmentRecord> {
      const platform = input.platform === true;
      await requireFlagAccess(authorize, acting, "flags:write", platform);
      assertValid(input);
      const tenantId = platform ? null : acting.tenant.id;
      const created = await uow.transaction(async (repos) => {
        const segment = await repos.segments.create({
          id: ids.next(),
          tenantId,
          name: input.name,
          description: input.description ?? null,
          constraints: input.constraints,
        });
        await audit(
          repos,
          acting,
          segment,
          "segment.created",
          { after: { constraints: segment.constraints } },
          origin,
        );
        return segment;
      });
      await definitions.publish(tenantId);
      return created;
    },

    async update(acting: FlagActing, id: string, patch: SegmentPatch, origin: RequestOrigin) {
      const current = await writable(acting, id);
      const updated = await uow.transaction(async (repos) => {
        const segment = await repos.segments.findById(id, { lock: true });
        if (!segment) throw notFound();
        const { before, after } = changedFields(segment, patch);
        if (Object.keys(after).length === 0) return segment;
        assertValid({ ...segment, ...after });
        const saved = await repos.segments.update(id, after as SegmentPatch, clock.now());
        if (!saved) throw notFound();
        await audit(repos, acting, saved, "segment.updated", { before, after }, origin);
        return saved;
      });
      await definitions.publish(current.tenantId);
      return updated;
    },

    async delete(acting: FlagActing, id: string, origin: RequestOrigin): Promise<void> {
      const current = await writable(acting, id);
      await uow.transaction(async (repos) => {
        const segment = await repos.segments.findById(id, { lock: true });
        if (!segment) throw notFound();
        const users = await repos.segments.usedBy(id);
        if (users.length > 0) {
          throw new ConflictError("SEGMENT_IN_USE", `Flags use this segment: ${users.join(", ")}.`);
        }
        await repos.segments.delete(id);
        await audit(
          repos,
          acting,
          segment,
          "segment.deleted",
          { before: { constraints: segment.constraints } },
          origin,
        );
      });
      await definitions.publish(current.tenantId);
    },
  };
}

export type ManageSegments = ReturnType<typeof makeManageSegments>;
