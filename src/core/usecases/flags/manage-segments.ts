import type { Acting } from "../../domain/acting";
import { changedFields } from "../../domain/changed-fields";
import { scopeOf } from "../../domain/data-scope";
import { ConflictError, NotFoundError, ValidationError } from "../../domain/errors";
import type { FlagRecord, SegmentRecord } from "../../domain/flags/flag-record";
import { FLAG_LIMITS } from "../../domain/flags/limits";
import { firstPatternField, scopeBudgetProblems } from "../../domain/flags/scope-budget";
import type { FlagConstraint } from "../../domain/flags/types";
import { segmentProblems, strategyConstraintCount } from "../../domain/flags/validate-flag";
import { type Page, type PageRequest, toPage } from "../../domain/pagination";
import type { Clock } from "../../ports/clock";
import type { IdGenerator } from "../../ports/id-generator";
import type { Repositories, SegmentPatch, UnitOfWork } from "../../ports/repositories";
import type { Authorize } from "../auth/authorize";
import { requireFlagAccess, visibleTo, writableBy, writeScope } from "./flag-access";
import type { FlagDefinitionsReader } from "./flag-definitions";
import { lockScopes, segmentSizes, visibleScopes } from "./scope-locks";
import { scopedEvent } from "./scoped-event";

export interface ManageSegmentsDeps {
  uow: UnitOfWork;
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

type SegmentContent = { id: string; name: string; constraints: FlagConstraint[] };

/**
 * The flags using a segment whose strategies would check more constraints than allowed if it held
 * `size`. The flags of its own scope are named; those of other tenants (using a platform-wide
 * segment) only counted.
 */
async function overgrownUsers(repos: Repositories, segment: SegmentContent & { tenantId: string | null }) {
  const users = await repos.segments.flagsUsing(segment.id);
  const over: FlagRecord[] = [];
  const sizesByTenant = new Map<string | null, (id: string | number) => number | undefined>();
  for (const flag of users) {
    let sizes = sizesByTenant.get(flag.tenantId);
    if (!sizes) {
      sizes = segmentSizes(await visibleScopes(repos, flag.tenantId));
      sizesByTenant.set(flag.tenantId, sizes);
    }
    const sizeOf = sizes;
    const size = (id: string | number) =>
      String(id) === segment.id ? segment.constraints.length : sizeOf(id);
    if (flag.strategies.some((s) => strategyConstraintCount(s, size) > FLAG_LIMITS.constraintsPerStrategy)) {
      over.push(flag);
    }
  }
  return over;
}

/** Refuses a segment with problems of its own, or one that takes a flag or its scope past a bound. */
async function assertValid(
  repos: Repositories,
  segment: SegmentContent & { tenantId: string | null },
  before: SegmentContent | null,
) {
  const problems = segmentProblems(segment);
  const { own, platform } = await visibleScopes(repos, segment.tenantId);
  const written = own ?? platform;
  const after = {
    ...written,
    segments: [...written.segments.filter((s) => s.id !== segment.id), segment],
  };
  problems.push(
    ...scopeBudgetProblems(written, after, {
      pattern: firstPatternField(segment.constraints, "constraints"),
      size: "constraints",
    }),
  );
  if (problems.length === 0 && before && segment.constraints.length > before.constraints.length) {
    const over = await overgrownUsers(repos, segment);
    if (over.length > 0) {
      const named = over.filter((flag) => flag.tenantId === segment.tenantId).map((flag) => `"${flag.key}"`);
      const others = over.length - named.length;
      const which = [...named, ...(others > 0 ? [`${others} of other tenants`] : [])].join(", ");
      problems.push({
        field: "constraints",
        message: `Flags using this segment would have a strategy checking more than ${FLAG_LIMITS.constraintsPerStrategy} constraints: ${which}.`,
      });
    }
  }
  if (problems.length > 0) {
    throw new ValidationError("INVALID_SEGMENT", "The segment is not valid.", problems);
  }
}

/**
 * Segments: named constraint sets that flag strategies refer to by id, with the flags' access rules.
 * A change reaches every flag using the segment at once (the scope's definitions are republished).
 */
export function makeManageSegments(deps: ManageSegmentsDeps) {
  const { uow, definitions, authorize, clock, ids } = deps;

  /** Reads in the tenant acted on, which sees its own segments and the platform-wide ones. */
  const find = (acting: Acting, id: string) =>
    uow.transaction(scopeOf(acting), (repos) => repos.segments.findById(id));
  const visible = async (acting: Acting, id: string) => visibleTo(acting, await find(acting, id), notFound);
  const writable = (acting: Acting, id: string) =>
    writableBy(authorize, acting, () => find(acting, id), notFound);

  return {
    async list(acting: Acting, page: PageRequest): Promise<Page<SegmentRecord>> {
      await requireFlagAccess(authorize, acting, "flags:read");
      const rows = await uow.transaction(scopeOf(acting), (repos) =>
        repos.segments.listVisible(acting.tenant.id, page),
      );
      return toPage(rows, page.limit);
    },

    async get(acting: Acting, id: string): Promise<SegmentRecord> {
      await requireFlagAccess(authorize, acting, "flags:read");
      return visible(acting, id);
    },

    async create(acting: Acting, input: NewSegmentInput): Promise<SegmentRecord> {
      const platform = input.platform === true;
      await requireFlagAccess(authorize, acting, "flags:write", platform);
      const tenantId = platform ? null : acting.tenant.id;
      const created = await uow.transaction(writeScope(acting, tenantId), async (repos) => {
        await lockScopes(repos, tenantId);
        const id = ids.next();
        await assertValid(repos, { id, tenantId, name: input.name, constraints: input.constraints }, null);
        const segment = await repos.segments.create({
          id,
          tenantId,
          name: input.name,
          description: input.description ?? null,
          constraints: input.constraints,
        });
        await repos.audit.append(
          scopedEvent(acting, segment, "segment", "segment.created", {
            name: segment.name,
            after: { constraints: segment.constraints },
          }),
          acting.origin,
        );
        return segment;
      });
      await definitions.publish(tenantId);
      return created;
    },

    async update(acting: Acting, { id, patch }: { id: string; patch: SegmentPatch }): Promise<SegmentRecord> {
      const current = await writable(acting, id);
      const updated = await uow.transaction(writeScope(acting, current.tenantId), async (repos) => {
        await lockScopes(repos, current.tenantId);
        const segment = await repos.segments.findById(id, { lock: true });
        if (!segment) throw notFound();
        const { before, after } = changedFields(segment, patch);
        if (Object.keys(after).length === 0) return segment;
        await assertValid(repos, { ...segment, ...after }, segment);
        const saved = await repos.segments.update(id, after as SegmentPatch, clock.now());
        if (!saved) throw notFound();
        await repos.audit.append(
          scopedEvent(acting, saved, "segment", "segment.updated", { name: saved.name, before, after }),
          acting.origin,
        );
        return saved;
      });
      await definitions.publish(current.tenantId);
      return updated;
    },

    async delete(acting: Acting, id: string): Promise<void> {
      const current = await writable(acting, id);
      await uow.transaction(writeScope(acting, current.tenantId), async (repos) => {
        await lockScopes(repos, current.tenantId);
        const segment = await repos.segments.findById(id, { lock: true });
        if (!segment) throw notFound();
        const users = await repos.segments.usedBy(id);
        if (users.length > 0) {
          throw new ConflictError("SEGMENT_IN_USE", `Flags use this segment: ${users.join(", ")}.`);
        }
        await repos.segments.delete(id);
        await repos.audit.append(
          scopedEvent(acting, segment, "segment", "segment.deleted", {
            name: segment.name,
            before: { constraints: segment.constraints },
          }),
          acting.origin,
        );
      });
      await definitions.publish(current.tenantId);
    },
  };
}

export type ManageSegments = ReturnType<typeof makeManageSegments>;
