import { openapi } from "@elysiajs/openapi";
import { Elysia } from "elysia";
import { correctOpenApiDocument, type DocumentedRoute, type OpenApiDocument } from "../openapi-corrections";

type OpenApiOptions = NonNullable<Parameters<typeof openapi>[0]>;

/**
 * Every route of the app the plugin is used in: Elysia points a used plugin's getGlobalRoutes at its
 * parent's, which is how @elysiajs/openapi lists them too (the method is protected in Elysia's types).
 */
const appRoutes = (plugin: Elysia): DocumentedRoute[] =>
  (plugin as unknown as { getGlobalRoutes(): DocumentedRoute[] }).getGlobalRoutes();

/**
 * @elysiajs/openapi serving the document as openapi-corrections.ts corrects it. The correction runs
 * once per document the plugin generates (it regenerates only when routes are added), on a copy, so
 * the document served never changes with traffic.
 */
export function openApiDocument(options: OpenApiOptions) {
  let source: unknown;
  let corrected: OpenApiDocument | undefined;
  const plugin = new Elysia({ name: "openapi-document" });
  // A local hook: it applies to the plugin's routes below (the document; no other route).
  return plugin
    .onAfterHandle(({ response }) => {
      if (!response || typeof response !== "object" || !("paths" in response)) return;
      if (response !== source || !corrected) {
        corrected = correctOpenApiDocument(response, appRoutes(plugin));
        source = response;
      }
      return corrected;
    })
    .use(openapi(options));
}
