/** How often one flag answered yes and no, and each variant, in one tenant and one hour. */
export interface FlagHourCounts {
  tenantId: string;
  flagKey: string;
  /** The hour's first instant. */
  hour: Date;
  yes: number;
  no: number;
  variants: Record<string, number>;
}

const HOUR_MS = 3_600_000;

export function hourOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
}

/** The first hour of the last `hours` hours, the current one included. */
export function firstHourOfLast(hours: number, now: Date): Date {
  return new Date(hourOf(now).getTime() - (hours - 1) * HOUR_MS);
}

/** How long counts are kept: a little over the longest span the API shows (720 hours). */
export const FLAG_METRICS_RETENTION_HOURS = 31 * 24;

/** Bounds on what an SDK's metrics post may add: SDKs send what they counted, attackers anything. */
export const FLAG_METRICS_LIMITS = {
  /** Largest count one post may add to one flag's yes, no or variant. */
  maxCount: 1_000_000_000,
  /** Variants kept per flag and post; Unleash's own flags hold far fewer. */
  maxVariants: 50,
  maxVariantNameLength: 100,
} as const;
