/**
 * Bounds on everything flag evaluation walks. Each is checked when a flag or segment is written, so
 * one `POST /features/evaluate` of all of a tenant's flags does bounded work whatever its admins
 * store; `bun run bench:hostile` measures the most expensive set these bounds accept.
 */
export const FLAG_LIMITS = {
  /** Flags of one scope: a tenant's own, or the platform-wide ones. */
  flagsPerScope: 200,
  strategiesPerFlag: 10,
  /** What one strategy checks: its own constraints plus those of every segment it lists. */
  constraintsPerStrategy: 20,
  segmentsPerStrategy: 5,
  valuesPerConstraint: 250,
  /** Each value of a constraint, and its single `value`. */
  valueLength: 256,
  patternLength: 256,
  /** RE2 instructions one REGEX pattern compiles to: its matching cost per input character. */
  patternInstructions: 250,
  /** REGEX constraints of one scope's flags and segments together. */
  patternsPerScope: 50,
  /** RE2 instructions of all the REGEX constraints of one scope's flags and segments together. */
  patternInstructionsPerScope: 1_000,
  /**
   * Characters of JSON that one scope's definitions take (strategies, variants and dependencies of
   * its flags, constraints of its segments): bounds what is cached and walked, values included.
   */
  scopeSize: 512 * 1024,
  /** Addresses and ranges of one IN_CIDR constraint or one remoteAddress strategy. */
  cidrEntries: 250,
  variants: 50,
  overridesPerVariant: 5,
  dependencies: 10,
} as const;

/** Bounds on the context a caller sends to evaluate (longer or more is refused, 422). */
export const CONTEXT_LIMITS = {
  /** userId, sessionId, environment, appName. */
  fieldLength: 200,
  properties: 50,
  propertyNameLength: 100,
  propertyValueLength: 256,
} as const;
