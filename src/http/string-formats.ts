/**
 * @elysiajs/openapi, when imported, replaces TypeBox's string formats (uuid, email, date, ...) with
 * checks that build a Zod schema on every call: a `format: "uuid"` field then costs microseconds
 * per validation, on every request and response. This puts Elysia's own checks (compiled regular
 * expressions) back. Importing the plugin first makes the order certain.
 */
import "@elysiajs/openapi";
import { FormatRegistry } from "@sinclair/typebox";
import { fullFormats } from "elysia/type-system/format";

for (const [name, format] of Object.entries(fullFormats)) {
  if (format instanceof RegExp) FormatRegistry.Set(name, (value) => format.test(value));
  else if (typeof format === "function") FormatRegistry.Set(name, format as (value: string) => boolean);
}

/** Elysia's RFC 3339 check: a split, two regular expressions and their captures per value. */
export const isDateTime = fullFormats["date-time"] as (value: string) => boolean;

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written by `count` ASCII digits from `start`, or -1 when one of them is not a digit. */
function digits(value: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * True for a valid date-time in the one shape `Date.prototype.toISOString()` writes for years 0 to
 * 9999 (`YYYY-MM-DDTHH:MM:SS.sssZ`), which is every timestamp the API sends: one pass over the
 * characters, no allocation. False means "not shown valid here", not "invalid": the check falls back
 * to Elysia's for anything else (other shapes, offsets, a leap second), so it accepts exactly the
 * strings Elysia's check accepts (tests/unit/string-formats.test.ts compares the two).
 */
export function isCanonicalDateTime(value: string): boolean {
  if (
    value.length !== 24 ||
    value.charCodeAt(4) !== 45 || // -
    value.charCodeAt(7) !== 45 ||
    value.charCodeAt(10) !== 84 || // T
    value.charCodeAt(13) !== 58 || // :
    value.charCodeAt(16) !== 58 ||
    value.charCodeAt(19) !== 46 || // .
    value.charCodeAt(23) !== 90 // Z
  ) {
    return false;
  }
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || digits(value, 20, 3) < 0) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const lastDay = month === 2 && leap ? 29 : DAYS_IN_MONTH[month]!;
  return (
    day <= lastDay && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59
  );
}

// Every timestamp in a response is checked against `date-time` (50 users: 150 of them per list).
FormatRegistry.Set("date-time", (value) => isCanonicalDateTime(value) || isDateTime(value));
