import { Elysia } from "elysia";
import type { FlagDefinitionsReader, FlagSet } from "../../core/usecases/flags/flag-definitions";
import type { FlagMetrics } from "../../core/usecases/flags/flag-metrics";
import type { UnleashKeyPlugin } from "../plugins/unleash-key";
import { presentClientFeatures } from "../unleash/client-features";
import { ClientMetrics, ClientRegistration } from "../unleash/sdk-schemas";

export interface UnleashClientRoutesDeps {
  unleashKey: UnleashKeyPlugin;
  definitions: Pick<FlagDefinitionsReader, "forTenant">;
  metrics: Pick<FlagMetrics, "recordSdkCounts">;
}

interface PresentedFeatures {
  etag: string;
  json: string;
}

/** True when the client already holds `etag` (If-None-Match lists it, or is `*`). */
export function holds(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  // What an SDK sends back: the one tag it was given.
  if (ifNoneMatch === etag) return true;
  return ifNoneMatch
    .split(",")
    .map((tag) => tag.trim().replace(/^W\//, ""))
    .some((tag) => tag === etag || tag === "*");
}

/**
 * Unleash's client API for server-side SDKs (`url: <base>/api/`, `Authorization: <client key>`):
 * the definitions of the key's tenant to evaluate locally, and what SDKs report. Not in our OpenAPI
 * document: it is Unleash's API, specified by Unleash, and its SDKs are its clients.
 */
export function unleashClientRoutes({ unleashKey, definitions, metrics }: UnleashClientRoutesDeps) {
  // Presented once per set of definitions: a poll of unchanged flags costs a cache read and a compare.
  const presented = new WeakMap<FlagSet, PresentedFeatures>();
  const presentationOf = (set: FlagSet) => {
    let view = presented.get(set);
    if (!view) {
      view = { etag: `"${set.revision}"`, json: JSON.stringify(presentClientFeatures(set)) };
      presented.set(set, view);
    }
    return view;
  };

  return new Elysia({ prefix: "/api/client", detail: { hide: true } })
    .use(unleashKey)
    .guard({ unleashKey: "client" })
    .get("/features", async ({ tenant, request, set }) => {
      const { etag, json } = presentationOf(await definitions.forTenant(tenant.id));
      set.headers.etag = etag;
      set.headers["cache-control"] = "no-cache";
      if (holds(request.headers.get("if-none-match"), etag)) {
        set.status = 304;
        return "";
      }
      set.headers["content-type"] = "application/json";
      return json;
    })
    .post(
      "/register",
      ({ set }) => {
        set.status = 202;
        return "";
      },
      { parse: "json", body: ClientRegistration },
    )
    .post(
      "/metrics",
      async ({ tenant, body, set }) => {
        await metrics.recordSdkCounts(tenant.id, body.bucket?.toggles ?? {});
        set.status = 202;
        return "";
      },
      { parse: "json", body: ClientMetrics },
    );
}
