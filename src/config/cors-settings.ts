import { Type as T } from "@sinclair/typebox";
import { invalid } from "./setting-types";

export const corsSettings = {
  CORS_ORIGINS: T.String({
    default: "",
    description: "origins of browser apps allowed to call the API with credentials, comma separated",
  }),
};

// scheme://host[:port] and nothing after it: no path (not even "/"), query, fragment or user info.
// Hosts as browsers send them: letters, digits, dots and hyphens (IDNs in punycode), or [IPv6].
const ORIGIN_SHAPE = /^https?:\/\/(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The origin `entry` spells, as browsers send it in `Origin` (lowercase host, no default port), or
 * null when it is not an http(s) origin.
 */
export function originOf(entry: string): string | null {
  if (!ORIGIN_SHAPE.test(entry)) return null;
  const url = URL.parse(entry);
  return url ? url.origin : null;
}

/**
 * The entries of CORS_ORIGINS (comma separated), normalised. Exact origins only: a wildcard would
 * hand every site the signed-in user's credentials.
 */
export function parseCorsOrigins(raw: string): string[] {
  const entries = raw
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const origins: string[] = [];
  for (const entry of entries) {
    const origin = originOf(entry);
    if (origin === null) {
      throw invalid(
        `CORS_ORIGINS must list origins such as https://app.example.com or http://localhost:3000, with no path (got ${JSON.stringify(entry)}).`,
      );
    }
    if (!origins.includes(origin)) origins.push(origin);
  }
  return origins;
}
