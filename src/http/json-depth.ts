/**
 * The deepest nesting of arrays and objects a request body may have. No body the API takes needs
 * more than ten levels (tenant settings, the one free-form value, allow eight of their own). Deeper
 * bodies are refused before parsing: what walks a parsed value (schema checks, their error reports)
 * recurses, and a few thousand levels overflow the stack.
 */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 34; // "
const BACKSLASH = 92; // \
const OPEN_ARRAY = 91; // [
const CLOSE_ARRAY = 93; // ]
const OPEN_OBJECT = 123; // {
const CLOSE_OBJECT = 125; // }

/** The index of the quote that ends the string whose opening quote is at `start`, or -1. */
function stringEnd(text: string, start: number): number {
  let quote = text.indexOf('"', start + 1);
  while (quote !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return -1;
}

/**
 * True when the JSON text nests arrays and objects more than `limit` deep. One pass, no recursion,
 * no allocation: brackets inside strings are skipped with indexOf, and the scan stops at the first
 * level past the limit. Text that is not JSON gets an answer too; the parser refuses it anyway.
 */
export function exceedsJsonDepth(text: string, limit = MAX_JSON_DEPTH): boolean {
  // Each level opens with a character of its own.
  if (text.length <= limit) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i);
      if (i === -1) return false;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}
