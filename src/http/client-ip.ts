import { BlockList, isIP } from "node:net";

/** A parsed TRUSTED_PROXIES list, as the configuration validated it: addresses and CIDR ranges, v4 and v6. */
export function trustedProxyList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split("/") as [string, string | undefined];
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

function unmapped(ip: string): string {
  return ip.startsWith("::ffff:") && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}

function trusted(list: BlockList, ip: string): boolean {
  const address = unmapped(ip);
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? "ipv6" : "ipv4");
}

/**
 * The client's address. A connection from a trusted proxy is followed back through X-Forwarded-For,
 * right to left, past every trusted proxy: the first address that is not one is the client. Entries
 * further left were written by the client itself and are never believed. A malformed entry stops
 * the walk at the last address that was vouched for.
 */
export function clientIp(
  socketIp: string | null,
  forwardedFor: string | null,
  proxies: BlockList,
): string | null {
  if (!socketIp) return null;
  let client = unmapped(socketIp);
  if (!trusted(proxies, client) || !forwardedFor) return client;
  const hops = forwardedFor.split(",").map((hop) => hop.trim());
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = unmapped(hops[i]!);
    if (isIP(hop) === 0) return client;
    client = hop;
    if (!trusted(proxies, hop)) return client;
  }
  return client;
}
