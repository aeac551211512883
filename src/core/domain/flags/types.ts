/** Shapes follow Unleash's client API; our `key` is Unleash's `name`. */

export const CONSTRAINT_OPERATORS = [
  "IN",
  "NOT_IN",
  "STR_STARTS_WITH",
  "STR_ENDS_WITH",
  "STR_CONTAINS",
  "NUM_EQ",
  "NUM_GT",
  "NUM_GTE",
  "NUM_LT",
  "NUM_LTE",
  "DATE_AFTER",
  "DATE_BEFORE",
  "SEMVER_EQ",
  "SEMVER_GT",
  "SEMVER_GTE",
  "SEMVER_LT",
  "SEMVER_LTE",
  "REGEX",
  "IN_CIDR",
] as const;

export type ConstraintOperator = (typeof CONSTRAINT_OPERATORS)[number];

export const STRATEGY_NAMES = [
  "default",
  "userWithId",
  "flexibleRollout",
  "gradualRolloutUserId",
  "gradualRolloutSessionId",
  "gradualRolloutRandom",
  "remoteAddress",
  "applicationHostname",
] as const;

export type StrategyName = (typeof STRATEGY_NAMES)[number];

export interface FlagConstraint {
  contextName: string;
  /** A string rather than `ConstraintOperator`: stored data may hold operators we do not know. */
  operator: string;
  values?: string[];
  value?: string;
  inverted?: boolean;
  caseInsensitive?: boolean;
}

export interface VariantPayload {
  type: string;
  value: string;
}

export interface VariantOverride {
  contextName: string;
  values: string[];
}

export interface FlagVariant {
  name: string;
  weight: number;
  stickiness?: string;
  payload?: VariantPayload;
  overrides?: VariantOverride[];
}

export type SegmentId = number | string;

export interface FlagStrategy {
  name: string;
  parameters?: Record<string, string | number>;
  constraints?: FlagConstraint[];
  variants?: FlagVariant[];
  segments?: SegmentId[];
}

export interface FlagDependency {
  feature: string;
  enabled?: boolean;
  variants?: string[];
}

export interface FeatureFlag {
  key: string;
  name?: string;
  description?: string;
  type?: string;
  enabled: boolean;
  strategies?: FlagStrategy[];
  variants?: FlagVariant[];
  dependencies?: FlagDependency[];
}

export interface FlagSegment {
  id: SegmentId;
  name?: string;
  constraints: FlagConstraint[];
}

export interface FlagContext {
  userId?: string;
  sessionId?: string;
  remoteAddress?: string;
  environment?: string;
  appName?: string;
  currentTime?: Date | string;
  tenantId?: string;
  tenantSlug?: string;
  plan?: string;
  role?: string;
  /** Null is what Unleash SDKs send for a property they do not have: the same as absent. */
  properties?: Record<string, string | null | undefined>;
}

/** What evaluation needs beyond the flag itself; everything here must be in memory. */
export interface FlagLookup {
  feature(key: string): FeatureFlag | undefined;
  segment(id: SegmentId): FlagSegment | undefined;
  /** For `applicationHostname`; absent means no host matches. */
  hostname?: string;
  /** Uniform in [0, 1); defaults to Math.random. */
  random?: () => number;
}

export interface VariantResult {
  name: string;
  enabled: boolean;
  featureEnabled: boolean;
  payload?: VariantPayload;
}
