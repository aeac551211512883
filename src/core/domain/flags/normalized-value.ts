import { murmurhash3, prefixedMurmurhash3 } from "./murmurhash3";

export const VARIANT_SEED = 86028157;

/** Unleash's bucket: a number in 1..normalizer, stable for one group and stickiness value. */
export function normalizedValue(stickiness: string, groupId: string, normalizer = 100, seed = 0): number {
  return (murmurhash3(stickiness, seed, `${groupId}:`) % normalizer) + 1;
}

/** `normalizedValue` for one group, normalizer and seed, with what they alone decide hashed once. */
export function bucketsOf(groupId: string, normalizer = 100, seed = 0): (stickiness: string) => number {
  const hash = prefixedMurmurhash3(`${groupId}:`, seed);
  return (stickiness) => (hash(stickiness) % normalizer) + 1;
}
