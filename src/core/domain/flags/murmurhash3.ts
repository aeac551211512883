const encoder = new TextEncoder();
// Reused for every hash: hashing is synchronous, and rollout keys are short, so nothing is allocated.
let scratch = new Uint8Array(256);

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

/**
 * MurmurHash3 x86 32-bit over the UTF-8 bytes of `prefix + text`, as an unsigned integer; the two
 * parts are encoded one after the other, so the joined string is never built.
 */
export function murmurhash3(text: string, seed = 0, prefix = ""): number {
  const length = encode(prefix, text);
  const bytes = scratch;
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  const blocks = length - (length % 4);
  let h = seed >>> 0;
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = length - blocks;
  if (tail > 0) {
    let k = 0;
    for (let i = tail - 1; i >= 0; i--) k = (k << 8) | bytes[blocks + i]!;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
