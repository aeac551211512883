import { BlockList, isIP } from "node:net";

function family(address: string): "ipv4" | "ipv6" | undefined {
  const version = isIP(address);
  return version === 4 ? "ipv4" : version === 6 ? "ipv6" : undefined;
}

/** Whether `address` equals `range` or lies in it when `range` is CIDR; malformed input is false. */
export function ipInRange(address: string, range: string): boolean {
  const ip = address.trim();
  const ipFamily = family(ip);
  if (!ipFamily) return false;
  const [network, prefixText] = range.trim().split("/") as [string, string | undefined];
  const networkFamily = family(network);
  if (!networkFamily) return false;
  const list = new BlockList();
  try {
    if (prefixText === undefined) {
      list.addAddress(network, networkFamily);
    } else {
      if (!/^\d{1,3}$/.test(prefixText)) return false;
      list.addSubnet(network, Number(prefixText), networkFamily);
    }
    return list.check(ip, ipFamily);
  } catch {
    return false;
  }
}
