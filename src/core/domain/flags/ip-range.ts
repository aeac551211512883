import { isIP } from "node:net";

/** Addresses as 128-bit numbers: IPv4 as its IPv4-mapped IPv6 form, so one list holds both. */
const MAPPED_V4 = 0xffffn << 32n;

function ipv4Value(address: string): bigint {
  return address.split(".").reduce((value, part) => (value << 8n) | BigInt(Number(part)), 0n);
}

function ipv6Value(address: string): bigint {
  let text = address;
  let tail = 0n;
  let tailGroups = 0;
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".", lastColon)) {
    tail = ipv4Value(text.slice(lastColon + 1));
    tailGroups = 2;
    text = `${text.slice(0, lastColon + 1)}0`;
  }
  const [head = "", rest] = text.split("::") as [string, string | undefined];
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const left = groups(head);
  const right = rest === undefined ? [] : groups(rest);
  if (tailGroups) (right.length ? right : left).pop();
  const zeros = 8 - tailGroups - left.length - right.length;
  const all = [...left, ...Array<string>(rest === undefined ? 0 : zeros).fill("0"), ...right];
  const value = all.reduce((v, group) => (v << 16n) | BigInt(Number.parseInt(group, 16)), 0n);
  return (value << BigInt(tailGroups * 16)) | tail;
}

/** An address as a number, or undefined when it is not an IPv4 or IPv6 address. */
export function ipValue(address: string): bigint | undefined {
  const text = address.trim();
  const version = isIP(text);
  if (version === 4) return MAPPED_V4 | ipv4Value(text);
  if (version === 6) return ipv6Value(text.split("%")[0]!);
  return undefined;
}

type Range = readonly [bigint, bigint];

/** An address or CIDR range as the first and last address it covers; undefined when malformed. */
export function ipRange(entry: string): Range | undefined {
  const [network, prefixText, extra] = entry.trim().split("/");
  if (extra !== undefined || network === undefined) return undefined;
  const start = ipValue(network);
  if (start === undefined) return undefined;
  if (prefixText === undefined) return [start, start];
  const v4 = isIP(network.trim()) === 4;
  const max = v4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return undefined;
  const hostBits = BigInt(max - Number(prefixText));
  const first = (start >> hostBits) << hostBits;
  return [first, first | ((1n << hostBits) - 1n)];
}

/** Ranges sorted and merged once, so a lookup is a binary search. */
export class IpRanges {
  private readonly starts: bigint[] = [];
  private readonly ends: bigint[] = [];

  constructor(ranges: Iterable<Range>) {
    for (const [start, end] of [...ranges].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      const last = this.ends.length - 1;
      if (last >= 0 && start <= this.ends[last]! + 1n) {
        if (end > this.ends[last]!) this.ends[last] = end;
      } else {
        this.starts.push(start);
        this.ends.push(end);
      }
    }
  }

  has(address: bigint): boolean {
    let low = 0;
    let high = this.starts.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (address < this.starts[middle]!) high = middle - 1;
      else if (address > this.ends[middle]!) low = middle + 1;
      else return true;
    }
    return false;
  }
}

/** The ranges of the entries that parse; malformed entries match nothing, as in Unleash. */
export function parseIpRanges(entries: Iterable<string>): IpRanges {
  const ranges: Range[] = [];
  for (const entry of entries) {
    const range = ipRange(entry);
    if (range) ranges.push(range);
  }
  return new IpRanges(ranges);
}
