import { REQUIRE_VERIFIED_EMAIL } from "./email-verification-policy";
import { ValidationError } from "./errors";
import { isMfaPolicy, MFA_POLICIES } from "./mfa";
import { RESERVED_SLUGS, SLUG_PATTERN } from "./tenant";

const SETTINGS_MAX_KEYS = 64;
const SETTINGS_MAX_BYTES = 16_384;
const SETTINGS_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const SETTINGS_MAX_DEPTH = 8;

function depth(value: unknown): number {
  if (!value || typeof value !== "object") return 0;
  const inner = Array.isArray(value) ? value : Object.values(value);
  return 1 + inner.reduce<number>((deepest, item) => Math.max(deepest, depth(item)), 0);
}

export function assertValidSlug(slug: string): void {
  if (!SLUG_PATTERN.test(slug)) {
    throw new ValidationError(
      "INVALID_SLUG",
      "A slug is a lowercase DNS label: letters, digits and inner hyphens, 1 to 63.",
      [{ field: "slug", message: "Not a lowercase DNS label." }],
    );
  }
  if (RESERVED_SLUGS.has(slug)) {
    throw new ValidationError("SLUG_RESERVED", `The slug "${slug}" is reserved.`, [
      { field: "slug", message: "Reserved." },
    ]);
  }
}

/**
 * Tenant settings are free-form for the product built on this template, but bounded: at most 64
 * top-level keys named like identifiers, 16 KiB of JSON, 8 levels of nesting.
 */
export function assertValidSettings(settings: Record<string, unknown>): void {
  const keys = Object.keys(settings);
  const badKey = keys.find((key) => !SETTINGS_KEY.test(key));
  const problem =
    keys.length > SETTINGS_MAX_KEYS
      ? `At most ${SETTINGS_MAX_KEYS} settings.`
      : badKey !== undefined
        ? `"${badKey.slice(0, 64)}" is not a valid setting name (letters, digits, _ . -, starting with a letter).`
        : Buffer.byteLength(JSON.stringify(settings)) > SETTINGS_MAX_BYTES
          ? `Settings may take at most ${SETTINGS_MAX_BYTES} bytes of JSON.`
          : depth(settings) > SETTINGS_MAX_DEPTH
            ? `Settings may nest at most ${SETTINGS_MAX_DEPTH} levels deep.`
            : settings.mfaRequired !== undefined && !isMfaPolicy(settings.mfaRequired)
              ? `mfaRequired must be one of ${MFA_POLICIES.join(", ")}.`
              : settings[REQUIRE_VERIFIED_EMAIL] !== undefined &&
                  typeof settings[REQUIRE_VERIFIED_EMAIL] !== "boolean"
                ? `${REQUIRE_VERIFIED_EMAIL} must be true or false.`
                : null;
  if (problem)
    throw new ValidationError("INVALID_SETTINGS", problem, [{ field: "settings", message: problem }]);
}
