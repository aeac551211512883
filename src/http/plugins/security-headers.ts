import { Elysia } from "elysia";

const COMMON = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "strict-transport-security": "max-age=31536000; includeSubDomains",
} as const;

// The API serves JSON only: nothing may load from it. /docs needs the Swagger UI bundle and styles.
const API_CSP = "default-src 'none'; frame-ancestors 'none'";
const DOCS_CSP =
  "default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; " +
  "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https://cdn.jsdelivr.net; " +
  "connect-src 'self'; font-src 'self' https://cdn.jsdelivr.net; frame-ancestors 'none'";

/** The path of an absolute request URL, without parsing all of it (this runs on every request). */
function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  return start === -1 ? "/" : url.slice(start);
}

export function securityHeadersPlugin(docsPath: string) {
  return new Elysia({ name: "security-headers" }).onRequest(({ set, request }) => {
    Object.assign(set.headers, COMMON);
    set.headers["content-security-policy"] = pathOf(request.url).startsWith(docsPath) ? DOCS_CSP : API_CSP;
  });
}
