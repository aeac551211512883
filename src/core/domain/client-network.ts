import { isIP } from "node:net";

/** The eight 16-bit groups of an IPv6 address, `::` expanded. */
function ipv6Groups(address: string): string[] {
  const [head, tail] = address.split("::") as [string, string | undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const middle = tail === undefined ? [] : Array(8 - left.length - right.length).fill("0");
  return [...left, ...middle, ...right].map((group) => group.padStart(4, "0"));
}

/**
 * The network a client speaks from, for per-client limits: an IPv4 address as it is, an IPv6
 * address as its /64 prefix (one subscriber usually holds a whole /64, so counting single addresses
 * would give an attacker 2^64 allowances).
 */
export function clientNetwork(ip: string | null): string {
  if (!ip) return "unknown";
  if (isIP(ip) !== 6) return ip;
  const address = ip.split("%")[0]!;
  if (address.includes(".")) return address; // IPv4-embedded forms are rare enough to count singly
  return `${ipv6Groups(address).slice(0, 4).join(":")}::/64`;
}
