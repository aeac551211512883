import { murmurhash3 } from "./murmurhash3";

export const VARIANT_SEED = 86028157;

/** Unleash's bucket: a number in 1..normalizer, stable for one group and stickiness value. */
export function normalizedValue(stickiness: string, groupId: string, normalizer = 100, seed = 0): number {
  return (murmurhash3(`${groupId}:${stickiness}`, seed) % normalizer) + 1;
}
