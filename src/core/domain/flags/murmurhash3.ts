const encoder = new TextEncoder();
// Reused for every hash: hashing is synchronous, and rollout keys are short, so nothing is allocated.
let scratch = new Uint8Array(256);

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** Writes the UTF-8 bytes of `prefix` then `text` into the scratch buffer and returns their count. */
function encode(prefix: string, text: string): number {
  const length = prefix.length + text.length;
  if (length * 3 > scratch.length) scratch = new Uint8Array(length * 3);
  for (let i = 0; i < prefix.length; i++) {
    const code = prefix.charCodeAt(i);
    if (code > 0x7f) return encoder.encodeInto(prefix + text, scratch).written;
    scratch[i] = code;
  }
  const offset = prefix.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return encoder.encodeInto(prefix + text, scratch).written;
    scratch[offset + i] = code;
  }
  return length;
}

function scramble(k: number): number {
  const mixed = Math.imul(k, C1);
  return Math.imul((mixed << 15) | (mixed >>> 17), C2);
}

function mixBlock(h: number, k: number): number {
  const mixed = h ^ scramble(k);
  return (Math.imul((mixed << 13) | (mixed >>> 19), 5) + 0xe6546b64) | 0;
}

function finish(h: number, length: number): number {
  let mixed = h ^ length;
  mixed ^= mixed >>> 16;
  mixed = Math.imul(mixed, 0x85ebca6b);
  mixed ^= mixed >>> 13;
  mixed = Math.imul(mixed, 0xc2b2ae35);
  mixed ^= mixed >>> 16;
  return mixed >>> 0;
}

/**
 * MurmurHash3 x86 32-bit over the UTF-8 bytes of `prefix + text`, as an unsigned integer; the two
 * parts are encoded one after the other, so the joined string is never built.
 */
export function murmurhash3(text: string, seed = 0, prefix = ""): number {
  const length = encode(prefix, text);
  const bytes = scratch;
  const blocks = length - (length % 4);
  let h = seed >>> 0;
  for (let i = 0; i < blocks; i += 4) {
    h = mixBlock(h, bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
  }
  const tail = length - blocks;
  if (tail > 0) {
    let k = 0;
    for (let i = tail - 1; i >= 0; i--) k = (k << 8) | bytes[blocks + i]!;
    h ^= scramble(k);
  }
  return finish(h, length);
}

/**
 * `murmurhash3(text, seed, prefix)` for one fixed prefix, with the prefix's whole 4-byte blocks
 * hashed once: a rollout hashes `groupId:` + the sticky value, and only the value changes. ASCII
 * text (ids, as a rule) is read straight from the string; anything else takes the general path.
 */
export function prefixedMurmurhash3(prefix: string, seed = 0): (text: string) => number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range, control characters included
  if (/[^\x00-\x7f]/.test(prefix)) return (text) => murmurhash3(text, seed, prefix);
  const whole = prefix.length - (prefix.length % 4);
  let start = seed >>> 0;
  for (let i = 0; i < whole; i += 4) {
    const k =
      prefix.charCodeAt(i) |
      (prefix.charCodeAt(i + 1) << 8) |
      (prefix.charCodeAt(i + 2) << 16) |
      (prefix.charCodeAt(i + 3) << 24);
    start = mixBlock(start, k);
  }
  let carry = 0;
  const carried = prefix.length - whole;
  for (let i = 0; i < carried; i++) carry |= prefix.charCodeAt(whole + i) << (8 * i);
  return (text) => {
    let h = start;
    let k = carry;
    let bytes = carried;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code > 0x7f) return murmurhash3(text, seed, prefix);
      k |= code << (bytes << 3);
      if (++bytes === 4) {
        h = mixBlock(h, k);
        k = 0;
        bytes = 0;
      }
    }
    if (bytes > 0) h ^= scramble(k);
    return finish(h, prefix.length + text.length);
  };
}
