import type { Acting } from "../../domain/acting";
import { changedFields } from "../../domain/changed-fields";
import { scopeOf } from "../../domain/data-scope";
import { ConflictError, NotFoundError, ValidationError } from "../../domain/errors";
import { type FlagFields, type FlagRecord, toFeature } from "../../domain/flags/flag-record";
import { referenceProblems } from "../../domain/flags/flag-references";
import { FLAG_LIMITS } from "../../domain/flags/limits";
import { withRollout } from "../../domain/flags/rollout";
import { firstFlagPatternField, scopeBudgetProblems } from "../../domain/flags/scope-budget";
import { flagProblems } from "../../domain/flags/validate-flag";
import { type Page, type PageRequest, toPage } from "../../domain/pagination";
import type { Clock } from "../../ports/clock";
import type { IdGenerator } from "../../ports/id-generator";
import type { Repositories, UnitOfWork } from "../../ports/repositories";
import type { Authorize } from "../auth/authorize";
import { requireFlagAccess, visibleTo, writableBy, writeScope } from "./flag-access";
import type { FlagDefinitionsReader } from "./flag-definitions";
import { lockScopes, segmentSizes, visibleScopes } from "./scope-locks";
import { scopedEvent } from "./scoped-event";

export interface ManageFlagsDeps {
  uow: UnitOfWork;
  definitions: Pick<FlagDefinitionsReader, "publish">;
  authorize: Authorize;
  clock: Clock;
  ids: IdGenerator;
}

export interface NewFlagInput extends Partial<FlagFields> {
  key: string;
  /** A platform-wide flag (platform:flags), for every tenant without a flag of the same key. */
  platform?: boolean;
}

const notFound = () => new NotFoundError("FLAG_NOT_FOUND", "No such flag.");

/**
 * Feature flags of the acting tenant, and platform-wide ones. Reads need flags:read, writes
 * flags:write; platform-wide flags and other tenants' flags also need platform:flags. A flag of
 * another tenant does not exist for the caller. Each write is audited in its transaction and the
 * changed scope's cached definitions are republished after it commits.
 */
export function makeManageFlags(deps: ManageFlagsDeps) {
  const { uow, definitions, authorize, clock, ids } = deps;

  /** Reads in the tenant acted on, which sees its own flags and the platform-wide ones. */
  const find = (acting: Acting, id: string) =>
    uow.transaction(scopeOf(acting), (repos) => repos.flags.findById(id));
  const visible = async (acting: Acting, id: string) => visibleTo(acting, await find(acting, id), notFound);
  const writable = (acting: Acting, id: string) =>
    writableBy(authorize, acting, () => find(acting, id), notFound);

  /**
   * Refuses a definition with problems of its own, references its scope cannot satisfy, or one
   * that takes its scope past a bound; a new flag also past the scope's flag count.
   */
  async function assertValid(
    repos: Repositories,
    tenantId: string | null,
    flag: FlagFields & { key: string },
    creating: boolean,
  ) {
    const scopes = await visibleScopes(repos, tenantId);
    const written = scopes.own ?? scopes.platform;
    if (creating && written.flags.length >= FLAG_LIMITS.flagsPerScope) {
      throw new ConflictError(
        "FLAG_LIMIT_REACHED",
        `${tenantId === null ? "There are" : "This tenant has"} ${written.flags.length} flags${tenantId === null ? " platform-wide" : ""}, the most allowed; delete one first.`,
      );
    }
    const feature = toFeature(flag);
    const visible = scopes.own ? [scopes.platform, scopes.own] : [scopes.platform];
    const after = { ...written, flags: [...written.flags.filter((f) => f.key !== flag.key), feature] };
    const problems = [
      ...flagProblems(feature, segmentSizes(scopes)),
      ...referenceProblems(feature, {
        flagKeys: new Set(visible.flatMap((s) => s.flags.map((f) => f.key))),
        segmentIds: new Set(visible.flatMap((s) => s.segments.map((segment) => segment.id))),
      }),
      ...scopeBudgetProblems(written, after, {
        pattern: firstFlagPatternField(feature),
        size: "strategies",
      }),
    ];
    if (problems.length > 0) {
      throw new ValidationError("INVALID_FLAG", "The flag definition is not valid.", problems);
    }
  }

  /**
   * A tenant's flag may be deleted once none of its flags depends on it (they are named). Tenants'
   * flags may depend on a platform-wide flag too, wherever they have no flag of that key of their
   * own: those are counted, never named, as they belong to other tenants.
   */
  async function assertNoDependents(repos: Repositories, flag: FlagRecord) {
    if (flag.tenantId === null) {
      const count = await repos.flags.countDependents(null, flag.key);
      if (count > 0) {
        throw new ConflictError(
          "FLAG_HAS_DEPENDENTS",
          `${count} ${count === 1 ? "flag depends" : "flags depend"} on "${flag.key}" across tenants; their dependencies must go first.`,
        );
      }
      return;
    }
    const scope = await repos.flags.definitions(flag.tenantId);
    const dependents = scope.flags.filter((f) => f.dependencies.some((d) => d.feature === flag.key));
    if (dependents.length > 0) {
      throw new ConflictError(
        "FLAG_HAS_DEPENDENTS",
        `Flags depend on "${flag.key}": ${dependents.map((f) => f.key).join(", ")}.`,
      );
    }
  }

  /**
   * Writes the change `patchOf` derives from the flag as locked, so a change computed from the
   * current value (a toggle, a rollout) cannot be lost to a concurrent one.
   */
  async function change(
    acting: Acting,
    id: string,
    patchOf: (flag: FlagRecord) => Partial<FlagFields>,
  ): Promise<FlagRecord> {
    const current = await writable(acting, id);
    const updated = await uow.transaction(writeScope(acting, current.tenantId), async (repos) => {
      await lockScopes(repos, current.tenantId);
      const flag = await repos.flags.findById(id, { lock: true });
      if (!flag) throw notFound();
      const { before, after } = changedFields(flag, patchOf(flag));
      if (Object.keys(after).length === 0) return flag;
      await assertValid(repos, flag.tenantId, { ...flag, ...after }, false);
      const saved = await repos.flags.update(id, after as Partial<FlagFields>, clock.now());
      if (!saved) throw notFound();
      await repos.audit.append(
        scopedEvent(acting, saved, "flag", "flag.updated", { key: saved.key, before, after }),
        acting.origin,
      );
      return saved;
    });
    await definitions.publish(current.tenantId);
    return updated;
  }

  return {
    async list(acting: Acting, page: PageRequest): Promise<Page<FlagRecord>> {
      await requireFlagAccess(authorize, acting, "flags:read");
      const rows = await uow.transaction(scopeOf(acting), (repos) =>
        repos.flags.listVisible(acting.tenant.id, page),
      );
      return toPage(rows, page.limit);
    },

    async get(acting: Acting, id: string): Promise<FlagRecord> {
      await requireFlagAccess(authorize, acting, "flags:read");
      return visible(acting, id);
    },

    /** The flag with this key that applies to the tenant (its own, else the platform-wide one). */
    async getByKey(
      acting: Acting,
      { key, platform = false }: { key: string; platform?: boolean },
    ): Promise<FlagRecord> {
      await requireFlagAccess(authorize, acting, "flags:read", platform);
      const flag = await uow.transaction(
        scopeOf(acting),
        async (repos) =>
          (platform ? null : await repos.flags.findByKey(acting.tenant.id, key)) ??
          (await repos.flags.findByKey(null, key)),
      );
      if (!flag) throw notFound();
      return flag;
    },

    async create(acting: Acting, input: NewFlagInput): Promise<FlagRecord> {
      const platform = input.platform === true;
      await requireFlagAccess(authorize, acting, "flags:write", platform);
      const tenantId = platform ? null : acting.tenant.id;
      const created = await uow.transaction(writeScope(acting, tenantId), async (repos) => {
        const fields: FlagFields = {
          name: input.name ?? input.key,
          description: input.description ?? null,
          type: input.type ?? "boolean",
          enabled: input.enabled ?? false,
          strategies: input.strategies ?? [],
          variants: input.variants ?? [],
          dependencies: input.dependencies ?? [],
        };
        await lockScopes(repos, tenantId);
        await assertValid(repos, tenantId, { ...fields, key: input.key }, true);
        const flag = await repos.flags.create({ id: ids.next(), tenantId, key: input.key, ...fields });
        await repos.audit.append(
          scopedEvent(acting, flag, "flag", "flag.created", { key: flag.key, after: toFeature(flag) }),
          acting.origin,
        );
        return flag;
      });
      await definitions.publish(tenantId);
      return created;
    },

    /** Changes the given fields; absent ones keep their values. */
    update(acting: Acting, { id, patch }: { id: string; patch: Partial<FlagFields> }): Promise<FlagRecord> {
      return change(acting, id, () => patch);
    },

    /** Turns the flag off if it is on, else on: decided on the locked row, so two toggles never agree. */
    toggle(acting: Acting, id: string): Promise<FlagRecord> {
      return change(acting, id, (flag) => ({ enabled: !flag.enabled }));
    },

    /** Sets the share of users the flag is rolled out to (its flexibleRollout strategies; added if missing). */
    setRollout(acting: Acting, { id, percent }: { id: string; percent: number }): Promise<FlagRecord> {
      return change(acting, id, (flag) => ({ strategies: withRollout(flag.strategies, percent) }));
    },

    async delete(acting: Acting, id: string): Promise<void> {
      const current = await writable(acting, id);
      await uow.transaction(writeScope(acting, current.tenantId), async (repos) => {
        await lockScopes(repos, current.tenantId);
        const flag = await repos.flags.findById(id, { lock: true });
        if (!flag) throw notFound();
        await assertNoDependents(repos, flag);
        await repos.flags.delete(id);
        await repos.audit.append(
          scopedEvent(acting, flag, "flag", "flag.deleted", { key: flag.key, before: toFeature(flag) }),
          acting.origin,
        );
      });
      await definitions.publish(current.tenantId);
    },
  };
}

export type ManageFlags = ReturnType<typeof makeManageFlags>;
