import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/**
 * The dependency rule, read from the import statements of every source file: the core knows only
 * itself, HTTP knows no adapter, and the CLI never loads the web server (not even through another
 * module). Type-only imports count: they couple the layers as much as any other.
 */

const ROOT = resolve(import.meta.dir, "../..");
const MAX_LINES = 300;

/** Packages the core may use: pure computation, no I/O, no framework. */
const CORE_PACKAGES = ["re2js"];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith(".ts"))
    .map((path) => join(dir, path))
    .sort();
}

const FILES = [...sourceFiles("src"), ...sourceFiles("cli")];
const TEXT = new Map(FILES.map((file) => [file, readFileSync(join(ROOT, file), "utf8")]));

const STATIC = /^[ \t]*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']/gm;
const SIDE_EFFECT = /^[ \t]*import\s*["']([^"']+)["']/gm;
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** Every module specifier the file names in an import or re-export, in order of appearance. */
export function specifiers(text: string): string[] {
  const found: [number, string][] = [];
  for (const pattern of [STATIC, SIDE_EFFECT, DYNAMIC]) {
    for (const match of text.matchAll(pattern)) found.push([match.index, match[1]!]);
  }
  return found.sort(([a], [b]) => a - b).map(([, specifier]) => specifier);
}

/** A relative specifier as a repository path (`src/http/app.ts`); a package or built-in as it is. */
function target(file: string, specifier: string): string {
  if (!specifier.startsWith(".")) return specifier;
  const base = relative(ROOT, resolve(ROOT, dirname(file), specifier));
  const candidates = [base, `${base}.ts`, join(base, "index.ts")];
  return candidates.find((path) => TEXT.has(path) || existsSync(join(ROOT, path))) ?? base;
}

const IMPORTS = new Map(
  FILES.map((file) => [file, specifiers(TEXT.get(file)!).map((specifier) => target(file, specifier))]),
);

const isLocal = (path: string) => path.startsWith("src/") || path.startsWith("cli/");
const isPackage = (path: string) => !isLocal(path) && !path.startsWith("node:") && !path.startsWith(".");
const packageName = (path: string) =>
  path.startsWith("@") ? path.split("/").slice(0, 2).join("/") : path.split("/")[0]!;

function violations(from: string, forbidden: (imported: string) => boolean): string[] {
  return FILES.filter((file) => file.startsWith(from)).flatMap((file) =>
    IMPORTS.get(file)!
      .filter(forbidden)
      .map((imported) => `${file} imports ${imported}`),
  );
}

/** The first chain of local imports from `file` to a module under `to`, or null. */
function pathTo(file: string, to: string): string[] | null {
  const previous = new Map<string, string | null>([[file, null]]);
  const queue = [file];
  while (queue.length > 0) {
    const current = queue.shift()!;
    if (current.startsWith(to)) {
      const chain = [current];
      for (let step = previous.get(current); step; step = previous.get(step)) chain.unshift(step);
      return chain;
    }
    for (const next of IMPORTS.get(current) ?? []) {
      if (isLocal(next) && !previous.has(next)) {
        previous.set(next, current);
        queue.push(next);
      }
    }
  }
  return null;
}

describe("architecture", () => {
  test("the import scanner sees static, re-exported, type-only, side-effect and dynamic imports, not comments", () => {
    const text = [
      'import { a } from "./a";',
      "import type {\n  B,\n  C,\n} from '../b';",
      'export { d } from "pkg/d";',
      'import "./side-effect";',
      "const e = await import('node:e');",
      '  // import { commented } from "./commented-out";',
      ' * mentions from "./prose" without importing',
    ].join("\n");
    expect(specifiers(text)).toEqual(["./a", "../b", "pkg/d", "./side-effect", "node:e"]);
  });

  test("src/core imports only src/core, Node built-ins and the listed pure packages", () => {
    const outside = violations("src/core/", (imported) => {
      if (imported.startsWith("node:") || imported.startsWith("src/core/")) return false;
      return !(isPackage(imported) && CORE_PACKAGES.includes(packageName(imported)));
    });
    expect(outside).toEqual([]);
  });

  test("the core's list of packages is what it uses: none listed in vain", () => {
    const used = new Set(
      [...IMPORTS.entries()]
        .filter(([file]) => file.startsWith("src/core/"))
        .flatMap(([, imported]) => imported.filter(isPackage).map(packageName)),
    );
    expect(CORE_PACKAGES.filter((name) => !used.has(name))).toEqual([]);
  });

  test("src/http imports no adapter", () => {
    expect(violations("src/http/", (imported) => imported.startsWith("src/adapters/"))).toEqual([]);
  });

  test("src/config and the use-case wiring import nothing from src/http", () => {
    const http = (imported: string) => imported.startsWith("src/http/");
    expect([
      ...violations("src/config", http),
      ...violations("src/composition/use-cases.ts", http),
      ...violations("src/composition/core-adapters.ts", http),
    ]).toEqual([]);
  });

  test("no module of cli/ reaches src/http, directly or through another module", () => {
    const chains = FILES.filter((file) => file.startsWith("cli/"))
      .map((file) => pathTo(file, "src/http/"))
      .filter((chain) => chain !== null)
      .map((chain) => chain.join(" -> "));
    expect(chains).toEqual([]);
  });

  test(`no source file in src/ or cli/ is longer than ${MAX_LINES} lines`, () => {
    const long = FILES.map((file) => ({ file, lines: TEXT.get(file)!.split("\n").length - 1 }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file} has ${lines} lines`);
    expect(long).toEqual([]);
  });
});
