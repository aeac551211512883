import type { FlagDefinitions, Repositories } from "../../ports/repositories";

/**
 * Locks what a write to one scope's flags or segments checks, until its transaction ends: the
 * scope itself, and the platform-wide definitions its flags may use. Tenants' writes share the
 * platform-wide lock; a platform-wide write takes it alone, so its checks across tenants (who
 * depends on a flag, who uses a segment) see every tenant's committed writes. Always platform
 * first, so two writers never wait for each other in a circle.
 */
export async function lockScopes(repos: Repositories, tenantId: string | null): Promise<void> {
  if (tenantId === null) return repos.flags.lockScope(null, "exclusive");
  await repos.flags.lockScope(null, "shared");
  await repos.flags.lockScope(tenantId, "exclusive");
}

export interface VisibleScopes {
  platform: FlagDefinitions;
  /** The tenant's own definitions; null when the written scope is the platform's. */
  own: FlagDefinitions | null;
}

/** The definitions a flag of this scope may use: the platform-wide ones and, for a tenant, its own. */
export async function visibleScopes(repos: Repositories, tenantId: string | null): Promise<VisibleScopes> {
  // One query at a time: a transaction holds one connection.
  const platform = await repos.flags.definitions(null);
  const own = tenantId === null ? null : await repos.flags.definitions(tenantId);
  return { platform, own };
}

/** How many constraints each segment a flag of these scopes may list holds, by id. */
export function segmentSizes({ platform, own }: VisibleScopes): (id: string | number) => number | undefined {
  const sizes = new Map<string, number>();
  for (const scope of own ? [platform, own] : [platform]) {
    for (const segment of scope.segments) sizes.set(segment.id, segment.constraints.length);
  }
  return (id) => sizes.get(String(id));
}
