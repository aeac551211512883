import type { FeatureFlag, FlagConstraint, FlagDependency, FlagStrategy, FlagVariant } from "./types";

export const FLAG_VALUE_TYPES = ["boolean", "string", "number", "json"] as const;
export type FlagValueType = (typeof FLAG_VALUE_TYPES)[number];

/** A stored flag. `tenantId` null marks a platform-wide flag. */
export interface FlagRecord {
  id: string;
  tenantId: string | null;
  key: string;
  name: string;
  description: string | null;
  type: FlagValueType;
  enabled: boolean;
  strategies: FlagStrategy[];
  variants: FlagVariant[];
  dependencies: FlagDependency[];
  /** Counts the flag's changes, from 1. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The fields a flag's owner may change; the key and the scope never change. */
export type FlagFields = Pick<
  FlagRecord,
  "name" | "description" | "type" | "enabled" | "strategies" | "variants" | "dependencies"
>;

/** A stored segment: a named constraint set that strategies refer to by id. */
export interface SegmentRecord {
  id: string;
  tenantId: string | null;
  name: string;
  description: string | null;
  constraints: FlagConstraint[];
  createdAt: Date;
  updatedAt: Date;
}

/** The engine's view of a stored flag. */
export function toFeature(flag: FlagFields & { key: string }): FeatureFlag {
  return {
    key: flag.key,
    name: flag.name,
    type: flag.type,
    enabled: flag.enabled,
    strategies: flag.strategies,
    variants: flag.variants,
    dependencies: flag.dependencies,
  };
}
