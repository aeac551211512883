import { Elysia } from "elysia";
import { CSRF_HEADER } from "../csrf-proof";

/** What a browser app may send: its JSON, its token, the tenant it names, and the CSRF proof header. */
const ALLOWED_HEADERS = ["authorization", "content-type", "x-request-id", "x-tenant", CSRF_HEADER];

/** Response headers a browser app may read beyond the CORS-safelisted ones. */
const EXPOSED_HEADERS = [
  "x-request-id",
  "www-authenticate",
  "retry-after",
  "ratelimit-limit",
  "ratelimit-remaining",
  "ratelimit-reset",
  "content-disposition",
];

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

// Every answer carries these (what @elysiajs/cors, which this replaces, sent): built once.
const ALLOW_HEADERS = ALLOWED_HEADERS.join(", ");
const EXPOSE_HEADERS = EXPOSED_HEADERS.join(", ");
const ALLOW_METHODS = METHODS.join(", ");
const MAX_AGE = "600";

/**
 * CORS for the browser apps listed in CORS_ORIGINS, compared exactly. A listed origin gets
 * `Access-Control-Allow-Origin` (its own value) and `Access-Control-Allow-Credentials` on every
 * answer, errors included, so it can read the problem+json; any other origin gets neither and the
 * browser keeps the response from it. Every answer says `Vary: Origin` and lists the methods and
 * headers above. Every OPTIONS request is a preflight answered 204 here, before routing (unknown
 * paths too). Registered after the request context, so preflights have a request id and a log line.
 *
 * One synchronous hook with the header values built once: the headers @elysiajs/cors sent, without
 * its per-request work (two reads of Origin, the methods joined anew on every request, an awaited
 * hook).
 */
export function corsPlugin(
  origins: readonly string[],
  /** Preflights answered otherwise (the Unleash frontend API's): their headers, or null for the rule above. */
  ownPreflight: (request: Request) => Record<string, string> | null = () => null,
) {
  const allowed = new Set(origins);
  const preflight = () => new Response(null, { status: 204 });
  return (
    new Elysia({ name: "cors" })
      .onRequest(({ request, set }) => {
        const headers = set.headers;
        headers["access-control-expose-headers"] = EXPOSE_HEADERS;
        headers["access-control-allow-headers"] = ALLOW_HEADERS;
        const isPreflight = request.method === "OPTIONS";
        if (isPreflight) {
          const own = ownPreflight(request);
          if (own) {
            Object.assign(headers, own);
            return preflight();
          }
        }
        const origin = request.headers.get("origin") ?? "";
        if (allowed.has(origin)) {
          headers["access-control-allow-credentials"] = "true";
          headers["access-control-allow-origin"] = origin || "*";
        }
        headers.vary = "Origin";
        if (!isPreflight) {
          headers["access-control-allow-methods"] = ALLOW_METHODS;
          return;
        }
        if (request.headers.get("access-control-request-method")) {
          headers["access-control-allow-methods"] = ALLOW_METHODS;
        }
        headers["access-control-max-age"] = MAX_AGE;
        return preflight();
      })
      // Never reached (the hook answers every OPTIONS first): kept so the routes, and the document
      // listing them, stay what they were.
      .options("/", preflight)
      .options("/*", preflight)
  );
}
