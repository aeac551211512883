import { murmurhash3 } from "./murmurhash3";

export const VARIANT_SEED = 86028157;

/** The text a group's buckets hash before the stickiness value: derive it once per strategy or flag. */
export function groupPrefix(groupId: string): string {
  return `${groupId}:`;
}

/** Unleash's bucket for a group whose `groupPrefix` is given: a number in 1..normalizer. */
export function bucket(stickiness: string, prefix: string, normalizer = 100, seed = 0): number {
  return (murmurhash3(stickiness, seed, prefix) % normalizer) + 1;
}

/** Unleash's bucket: a number in 1..normalizer, stable for one group and stickiness value. */
export function normalizedValue(stickiness: string, groupId: string, normalizer = 100, seed = 0): number {
  return bucket(stickiness, groupPrefix(groupId), normalizer, seed);
}
