import { createHash } from "node:crypto";
import { cacheKeys } from "../../domain/cache-keys";
import { anonymousScope, type DataScope, tenantScope } from "../../domain/data-scope";
import { toFeature } from "../../domain/flags/flag-record";
import type { FeatureFlag, FlagLookup, FlagSegment } from "../../domain/flags/types";
import type { Cache } from "../../ports/cache";
import type { FlagDefinitions, UnitOfWork } from "../../ports/repositories";
import { makeCacheAside } from "../cache/cache-aside";

/** One scope's definitions as cached: plain JSON, with a revision that names its content. */
interface CachedScope {
  revision: string;
  flags: FeatureFlag[];
  segments: FlagSegment[];
}

/** A tenant's flags as evaluation sees them: its own, then the platform-wide keys it does not use. */
export interface FlagSet {
  /** Changes whenever either scope's content does: an entity tag for what SDKs poll. */
  revision: string;
  flags: ReadonlyMap<string, FeatureFlag>;
  segments: ReadonlyMap<string, FlagSegment>;
  lookup: FlagLookup;
  /** Whether any flag or segment reads the caller's address (finding it costs a little). */
  usesRemoteAddress: boolean;
}

export interface FlagDefinitionsDeps {
  uow: Pick<UnitOfWork, "transaction">;
  cache: Cache;
  ttlSeconds: number;
}

const MERGED_SETS_KEPT = 1_000;

function merge(platform: CachedScope, own: CachedScope, revision: string): FlagSet {
  const flags = new Map<string, FeatureFlag>();
  for (const flag of platform.flags) flags.set(flag.key, flag);
  for (const flag of own.flags) flags.set(flag.key, flag);
  const segments = new Map<string, FlagSegment>();
  for (const segment of [...platform.segments, ...own.segments]) segments.set(String(segment.id), segment);
  return {
    revision,
    flags,
    segments,
    lookup: { feature: (key) => flags.get(key), segment: (id) => segments.get(String(id)) },
    usesRemoteAddress: JSON.stringify([platform, own]).includes("remoteAddress"),
  };
}

/**
 * Where one scope's definitions are read: a tenant's in that tenant's scope; the platform-wide ones
 * in the anonymous scope, which sees them (every scope may read them) and no tenant's rows at all,
 * so what is cached for every tenant can never hold one tenant's flags.
 */
const readScope = (tenantId: string | null): DataScope =>
  tenantId === null ? anonymousScope : tenantScope(tenantId);

/**
 * Flag definitions read through the cache, per scope (a tenant's own, the platform-wide ones).
 * Evaluating a cached flag reads no database; a miss reads in a transaction of its own.
 * Writers publish a scope after their change commits.
 */
/**
 * Named by content, not by the load that read it: two readers filling the same miss at once, another
 * instance, or a refill after the cache entry expired all give the same revision for the same flags,
 * so an SDK's If-None-Match keeps matching until a flag or segment really changes.
 */
function revisionOf(flags: FeatureFlag[], segments: FlagSegment[]): string {
  return createHash("sha256")
    .update(JSON.stringify([flags, segments]))
    .digest("base64url")
    .slice(0, 22);
}

export function makeFlagDefinitions({ uow, cache, ttlSeconds }: FlagDefinitionsDeps) {
  let merged = new Map<string, FlagSet>();
  const entries = makeCacheAside({ cache, ttlSeconds });

  const stored = (tenantId: string | null) =>
    uow.transaction(readScope(tenantId), (repos) => repos.flags.definitions(tenantId));

  function toCached(definitions: FlagDefinitions): CachedScope {
    const flags = definitions.flags.map(toFeature);
    const segments = definitions.segments.map((s) => ({
      id: s.id,
      name: s.name,
      constraints: s.constraints,
    }));
    return { revision: revisionOf(flags, segments), flags, segments };
  }

  function scope(tenantId: string | null): Promise<CachedScope> {
    const load = async () => toCached(await stored(tenantId));
    return entries.read(cacheKeys.flagDefinitions(tenantId), load);
  }

  return {
    async forTenant(tenantId: string): Promise<FlagSet> {
      const [platform, own] = await Promise.all([scope(null), scope(tenantId)]);
      const revision = `${platform.revision}/${own.revision}`;
      let set = merged.get(revision);
      if (!set) {
        if (merged.size >= MERGED_SETS_KEPT) merged = new Map();
        set = merge(platform, own, revision);
        merged.set(revision, set);
      }
      return set;
    },

    /** Caches the scope as stored now; call after a change to it commits. */
    async publish(tenantId: string | null): Promise<void> {
      await entries.publish(cacheKeys.flagDefinitions(tenantId), toCached(await stored(tenantId)));
    },
  };
}

export type FlagDefinitionsReader = ReturnType<typeof makeFlagDefinitions>;
