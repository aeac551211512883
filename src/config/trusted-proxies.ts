import { isIP } from "node:net";
import { invalid } from "./setting-types";

/** Whether `entry` is an address or a CIDR range, IPv4 or IPv6. */
export function isProxyEntry(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split("/");
  const family = isIP(address ?? "");
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** The entries of TRUSTED_PROXIES (comma separated); anything but an address or a range is refused. */
export function parseTrustedProxies(raw: string): string[] {
  const entries = raw
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const bad = entries.find((entry) => !isProxyEntry(entry));
  if (bad !== undefined) {
    throw invalid(`TRUSTED_PROXIES must list IP addresses or CIDR ranges (got ${JSON.stringify(bad)}).`);
  }
  return entries;
}
