import { Elysia } from "elysia";
import type { Principal, TenantRef } from "../../core/domain/acting";
import type { Logger } from "../../core/ports/logger";
import { clientIp, trustedProxyList } from "../client-ip";
import type { HttpMetrics } from "../metrics";
import { requestState, setRequestState } from "../request-state";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Load balancers and orchestrators call these every few seconds: their lines are debug, not info. */
const isHealthProbe = (route: string) => route === "/health" || route.startsWith("/health/");

interface Finished {
  request: Request;
  route: string;
  set: { status?: number | string };
  principal?: Principal;
  home?: TenantRef;
  tenant?: TenantRef;
}

export interface RequestContextOptions {
  logger: Logger;
  metrics: HttpMetrics;
  trustedProxies: string[];
  newId: () => string;
}

/**
 * Gives every request an id (the caller's X-Request-Id when it is sane), returns it, exposes the
 * and writes one log line and one histogram sample per request.
 */
export function requestContextPlugin({ logger, metrics, trustedProxies, newId }: RequestContextOptions) {
  const proxies = trustedProxyList(trustedProxies);
  // The server is asked through the plugin (its parent app's), not the context: a hook that reads
  // the context's `server` makes Elysia define that property on every request's context.
  const plugin = new Elysia({ name: "request-context" });
  // Elysia links a plugin's getServer to its parent's when it is used (public in JS, private in types).
  const serverOf = plugin as unknown as {
    getServer(): { requestIP(request: Request): { address: string } | null } | null;
  };
  return (
    plugin
      .onRequest(({ request, set }) => {
        const given = request.headers.get("x-request-id");
        const requestId = given && REQUEST_ID.test(given) ? given : newId();
        // Found on first use: asking the server for the peer address costs microseconds, and most
        // requests (reads) never need it.
        let ip: string | null = null;
        let resolved = false;
        setRequestState(request, {
          requestId,
          startedAt: performance.now(),
          get ip() {
            if (!resolved) {
              resolved = true;
              ip = clientIp(
                serverOf.getServer()?.requestIP(request)?.address ?? null,
                request.headers.get("x-forwarded-for"),
                proxies,
              );
            }
            return ip;
          },
        });
        set.headers["x-request-id"] = requestId;
      })
      // Destructured in the parameter: Elysia reads each hook's source to decide what a request must
      // parse, and a context it cannot follow makes every request parse its headers, cookies and
      // query. `principal`, `home` and `tenant` are whatever the route's options resolved before it
      // answered (or failed).
      .onAfterResponse({ as: "global" }, ({ request, route, set, principal, home, tenant }: Finished) => {
        const state = requestState(request);
        if (!state) return;
        const status = typeof set.status === "number" ? set.status : 200;
        const durationMs = performance.now() - state.startedAt;
        const template = route || "unmatched";
        metrics.observe(request.method, template, status, durationMs / 1000);
        const line: Record<string, unknown> = {
          requestId: state.requestId,
          method: request.method,
          route: template,
          status,
          durationMs: Math.round(durationMs * 100) / 100,
          tenantId: (tenant ?? home)?.id ?? null,
          userId: principal?.userId ?? null,
        };
        // A key acts on its creator's authority: the line names both.
        if (principal?.apiKey) line.apiKeyId = principal.apiKey.id;
        if (state.errorCode) line.code = state.errorCode;
        if (isHealthProbe(template)) logger.debug("http.request", line);
        else logger.info("http.request", line);
      })
  );
}
