import { RESERVED_SLUGS, SLUG_PATTERN } from "./tenant";

/** Room left for "-" and a suffix, so a suffixed slug is still a DNS label (63 characters). */
const BASE_MAX_LENGTH = 56;
const FALLBACK_SLUG = "workspace";

/**
 * A slug for a tenant named `name`: lower case, accents dropped, every run of other characters one
 * hyphen, trimmed to a DNS label. A name with no letter or digit we can keep gives "workspace".
 * The result passes assertValidSlug unless it is reserved (the caller then suffixes it).
 */
export function slugFromName(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, BASE_MAX_LENGTH)
    .replace(/^-+|-+$/g, "");
  return slug === "" ? FALLBACK_SLUG : slug;
}

/** `base` with a suffix, for when `base` is taken or reserved. */
export function suffixedSlug(base: string, suffix: string): string {
  return `${base.slice(0, BASE_MAX_LENGTH)}-${suffix}`;
}

/** Whether a derived slug may be used as it is (valid and not reserved); whether it is free is the database's say. */
export function isUsableSlug(slug: string): boolean {
  return SLUG_PATTERN.test(slug) && !RESERVED_SLUGS.has(slug);
}

const SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** Four random letters or digits: 1.7 million suffixes, so a second collision is rare. */
export function randomSlugSuffix(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return Array.from(bytes, (byte) => SUFFIX_ALPHABET[byte % SUFFIX_ALPHABET.length]).join("");
}
