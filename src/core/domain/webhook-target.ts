import { isIP } from "node:net";
import { ipValue, parseIpRanges } from "./flags/ip-range";

/**
 * Where webhooks must never go: the platform's own network. Loopback, private (RFC 1918, fc00::/7
 * which holds AWS's fd00:ec2::254), link-local (169.254/16 with the cloud metadata address
 * 169.254.169.254, fe80::/10), CGNAT 100.64/10 (Alibaba's metadata 100.100.100.200), multicast,
 * unspecified, reserved and broadcast. IPv4 ranges also match their IPv4-mapped IPv6 form
 * (::ffff:127.0.0.1), since addresses are compared as IPv6.
 */
const FORBIDDEN = parseIpRanges([
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.0.0.0/24",
  "192.168.0.0/16",
  "198.18.0.0/15",
  "224.0.0.0/4",
  "240.0.0.0/4",
  "::/96",
  "::1/128",
  "fc00::/7",
  "fe80::/10",
  "ff00::/8",
]);

/** IPv6 prefixes that carry an IPv4 address a gateway forwards to: NAT64 (last 32 bits), 6to4 (bits 16-48). */
const NAT64 = parseIpRanges(["64:ff9b::/96", "64:ff9b:1::/48"]);
const SIX_TO_FOUR = parseIpRanges(["2002::/16"]);
const MAPPED_V4 = 0xffffn << 32n;

function embeddedIpv4(value: bigint): bigint | undefined {
  if (NAT64.has(value)) return MAPPED_V4 | (value & 0xffffffffn);
  if (SIX_TO_FOUR.has(value)) return MAPPED_V4 | ((value >> 80n) & 0xffffffffn);
  return undefined;
}

/** Whether a resolved address is one webhooks must not reach; anything unparsable counts as one. */
export function isForbiddenTargetAddress(address: string): boolean {
  const value = ipValue(address);
  if (value === undefined) return true;
  if (FORBIDDEN.has(value)) return true;
  const inner = embeddedIpv4(value);
  return inner !== undefined && FORBIDDEN.has(inner);
}

export const WEBHOOK_URL_MAX_LENGTH = 2048;

export type WebhookUrlProblem = "not_a_url" | "scheme_not_allowed" | "credentials_in_url" | "too_long";

/**
 * The URL if it may be registered as is (before resolving its host): absolute, `https` (or `http`
 * when allowed), no user or password in it. The host, IP literal or name, is checked after
 * resolution (see check-webhook-target.ts).
 */
export function parseWebhookUrl(
  text: string,
  { allowHttp }: { allowHttp: boolean },
): { url: URL } | { problem: WebhookUrlProblem } {
  if (text.length > WEBHOOK_URL_MAX_LENGTH) return { problem: "too_long" };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: "not_a_url" };
  }
  if (url.protocol !== "https:" && !(allowHttp && url.protocol === "http:")) {
    return { problem: "scheme_not_allowed" };
  }
  if (url.username !== "" || url.password !== "") return { problem: "credentials_in_url" };
  if (url.hostname === "") return { problem: "not_a_url" };
  return { url };
}

/** The URL's host as an IP literal (brackets of IPv6 removed), or null when it is a name. */
export function ipLiteralOf(url: URL): string | null {
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  return isIP(host) ? host : null;
}
