const POSIX_CLASSES: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

const INLINE_FLAGS = /^\(\?([ims]*(?:-[ims]+)?)\)/;
const LOOKAROUND = /^\(\?(?:=|!|<=|<!)/;

/**
 * Unleash evaluates REGEX with RE2-style syntax (as Rust's regex crate does): POSIX classes, inline
 * flags that apply to the rest of their group, and no lookaround or backreferences. This rewrites
 * such a pattern into a JavaScript one, or returns undefined for what RE2 would reject.
 */
export function toJavaScriptPattern(pattern: string): string | undefined {
  let out = "";
  const pendingClosers: number[] = [0];
  let inClass = false;
  let i = 0;
  while (i < pattern.length) {
    const char = pattern[i]!;
    const rest = pattern.slice(i);
    if (char === "\\") {
      const next = pattern[i + 1];
      if (next === undefined) return undefined;
      if (!inClass && (/[1-9]/.test(next) || next === "k")) return undefined;
      out += char + next;
      i += 2;
      continue;
    }
    if (inClass) {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(rest);
      if (posix) {
        const range = POSIX_CLASSES[posix[2]!];
        if (!range || posix[1]) return undefined;
        out += range;
        i += posix[0].length;
        continue;
      }
      if (char === "]") inClass = false;
      out += char;
      i++;
      continue;
    }
    if (char === "[") {
      inClass = true;
      out += char;
      i++;
      if (pattern[i] === "^") {
        out += "^";
        i++;
      }
      if (pattern[i] === "]") {
        out += "\\]";
        i++;
      }
      continue;
    }
    if (LOOKAROUND.test(rest)) return undefined;
    const flags = INLINE_FLAGS.exec(rest);
    if (flags) {
      if (flags[1]) {
        out += `(?${flags[1]}:`;
        pendingClosers[pendingClosers.length - 1]!++;
      }
      i += flags[0].length;
      continue;
    }
    if (char === "(") {
      if (rest.startsWith("(?P<")) {
        out += "(?<";
        i += 4;
      } else {
        out += char;
        i++;
      }
      pendingClosers.push(0);
      continue;
    }
    if (char === ")") {
      if (pendingClosers.length === 1) return undefined;
      out += ")".repeat(pendingClosers.pop()!);
    } else if (char === "|") {
      const open = pendingClosers[pendingClosers.length - 1]!;
      out += ")".repeat(open);
      pendingClosers[pendingClosers.length - 1] = 0;
    }
    out += char;
    i++;
  }
  if (inClass || pendingClosers.length !== 1) return undefined;
  return out + ")".repeat(pendingClosers[0]!);
}
