import { cors } from "@elysiajs/cors";
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

/**
 * CORS for the browser apps listed in CORS_ORIGINS, compared exactly. A listed origin gets
 * `Access-Control-Allow-Origin` (its own value) and `Access-Control-Allow-Credentials` on every
 * answer, errors included, so it can read the problem+json; any other origin gets neither and the
 * browser keeps the response from it. Every OPTIONS request is a preflight answered 204 here, before
 * routing (unknown paths too), with the methods and headers above. Registered after the request
 * context, so preflights have a request id and a log line.
 */
export function corsPlugin(
  origins: readonly string[],
  /** Preflights answered otherwise (the Unleash frontend API's): their headers, or null for the rule above. */
  ownPreflight: (request: Request) => Record<string, string> | null = () => null,
) {
  const allowed = new Set(origins);
  const isAllowed = (request: Request) => allowed.has(request.headers.get("origin") ?? "");
  return (
    new Elysia({ name: "cors-credentials" })
      // The plugin would send the credentials header to every origin; only listed ones get it. This
      // runs first so the plugin's preflight answer carries it too.
      .onRequest(({ request, set }) => {
        const own = request.method === "OPTIONS" ? ownPreflight(request) : null;
        if (own) {
          Object.assign(set.headers, own);
          return new Response(null, { status: 204 });
        }
        if (isAllowed(request)) set.headers["access-control-allow-credentials"] = "true";
      })
      .use(
        cors({
          origin: isAllowed,
          credentials: false,
          methods: METHODS,
          allowedHeaders: ALLOWED_HEADERS,
          exposeHeaders: EXPOSED_HEADERS,
          maxAge: 600,
        }),
      )
  );
}
