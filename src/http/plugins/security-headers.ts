import { Elysia } from "elysia";

const COMMON = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "strict-transport-security": "max-age=31536000; includeSubDomains",
} as const;

// The API serves JSON only: nothing may load from it. /docs loads Swagger UI from the app itself
// (src/http/plugins/docs-page.ts): scripts, styles and requests from 'self' only, no inline script
// and no eval; images also from data: URLs, which Swagger UI's stylesheet uses for its icons.
const API_CSP = "default-src 'none'; frame-ancestors 'none'";
const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** The path of an absolute request URL, without parsing all of it (this runs on every request). */
function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  return start === -1 ? "/" : url.slice(start);
}

/** The page itself and what lies under it, with or without a query; not "/docsfoo". */
function isDocsPath(path: string, docsPath: string): boolean {
  if (!path.startsWith(docsPath)) return false;
  const next = path[docsPath.length];
  return next === undefined || next === "/" || next === "?";
}

// Each kind of answer's headers in one object, assigned at once.
const API_HEADERS = { ...COMMON, "content-security-policy": API_CSP };
const DOCS_HEADERS = { ...COMMON, "content-security-policy": DOCS_CSP };

export function securityHeadersPlugin(docsPath: string) {
  return new Elysia({ name: "security-headers" }).onRequest(({ set, request }) => {
    Object.assign(set.headers, isDocsPath(pathOf(request.url), docsPath) ? DOCS_HEADERS : API_HEADERS);
  });
}
