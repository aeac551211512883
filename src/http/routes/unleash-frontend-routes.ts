import { Elysia } from "elysia";
import type { EvaluateForFrontend } from "../../core/usecases/flags/evaluate-for-frontend";
import type { FlagMetrics } from "../../core/usecases/flags/flag-metrics";
import type { UnleashKeyPlugin } from "../plugins/unleash-key";
import { requestOrigin } from "../request-state";
import { contextFromBody, contextFromQuery } from "../unleash/frontend-context";
import { frontendCorsHeaders } from "../unleash/frontend-cors";
import { presentFrontendToggles } from "../unleash/frontend-toggles";
import { ClientMetrics, FrontendRequest } from "../unleash/sdk-schemas";

export interface UnleashFrontendRoutesDeps {
  unleashKey: UnleashKeyPlugin;
  evaluate: EvaluateForFrontend;
  metrics: Pick<FlagMetrics, "recordSdkCounts">;
}

/**
 * Unleash's frontend API for browser and mobile SDKs (`url: <base>/api/frontend`, `clientKey:
 * <frontend key>`): the enabled flags evaluated for the context the browser sends, never a
 * definition, and the counts the SDK reports. Answered to the key's allowed origins only (preflights:
 * `frontendPreflight`, answered by the CORS plugin before routing). Not in our
 * OpenAPI document: it is Unleash's API.
 */
export function unleashFrontendRoutes({ unleashKey, evaluate, metrics }: UnleashFrontendRoutesDeps) {
  return new Elysia({ prefix: "/api/frontend", detail: { hide: true } })
    .use(unleashKey)
    .guard({ unleashKey: "frontend" })
    .onBeforeHandle(({ request, apiKey, set }) => {
      Object.assign(set.headers, frontendCorsHeaders(request.headers.get("origin"), apiKey.allowedOrigins));
    })
    .get("", async ({ request, tenant }) => {
      const context = contextFromQuery(new URL(request.url).searchParams);
      return presentFrontendToggles(await evaluate(tenant, context, requestOrigin(request).ip));
    })
    .post(
      "",
      async ({ request, tenant, body }) =>
        presentFrontendToggles(await evaluate(tenant, contextFromBody(body), requestOrigin(request).ip)),
      { parse: "json", body: FrontendRequest },
    )
    .post(
      "/client/metrics",
      async ({ tenant, body, set }) => {
        await metrics.recordSdkCounts(tenant.id, body.bucket?.toggles ?? {});
        set.status = 202;
        return "";
      },
      { parse: "json", body: ClientMetrics },
    );
}
