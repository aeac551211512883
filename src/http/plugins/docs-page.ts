import { Elysia } from "elysia";
import swaggerUiCss from "swagger-ui-dist/swagger-ui.css" with { type: "text" };
import swaggerUiBundle from "swagger-ui-dist/swagger-ui-bundle.js" with { type: "text" };
import { NotFoundError } from "../../core/domain/errors";
import { acceptsGzip, type DocsAsset, docsAsset, matchesEtag } from "./docs-assets";
import docsPageInit from "./docs-page-init.js" with { type: "text" };

// The assets are text imports so that `bun build --compile` embeds them in the binary: the page
// works offline and from the single binary, with no CDN for the Content-Security-Policy to allow.

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface DocsPageOptions {
  /** Where the page is served, e.g. "/docs"; its assets are served under `${path}/assets/`. */
  path: string;
  /** The URL of the OpenAPI document the page renders. */
  specPath: string;
  title: string;
}

/**
 * GET {path}: Swagger UI for the app's OpenAPI document, served entirely from the app itself.
 * Hidden from the OpenAPI document and from the app's type (it is a page, not an API).
 */
export function docsPagePlugin({ path, specPath, title }: DocsPageOptions): Elysia {
  // Encoding and hashing ~2 MB of assets waits for the first visit: start-up does not pay for it.
  let prepared: { assets: Map<string, DocsAsset>; page: string } | undefined;
  const prepare = () => {
    prepared ??= preparePage(path, specPath, title);
    return prepared;
  };

  const plugin = new Elysia({ name: "docs-page", seed: path })
    .get(
      path,
      ({ set }) => {
        set.headers["content-type"] = "text/html; charset=utf-8";
        // The page names the current assets: revalidate it, keep the assets.
        set.headers["cache-control"] = "no-cache";
        return prepare().page;
      },
      { detail: { hide: true } },
    )
    .get(
      `${path}/assets/:name`,
      async ({ params, request, set }) => {
        const asset = prepare().assets.get(params.name);
        if (!asset) throw new NotFoundError("DOCS_ASSET_NOT_FOUND", "No documentation asset has this name.");
        const gzip = acceptsGzip(request.headers.get("accept-encoding"));
        const etag = gzip ? asset.etag.gzip : asset.etag.identity;
        set.headers["content-type"] = asset.contentType;
        set.headers["cache-control"] = "public, max-age=31536000, immutable";
        set.headers.vary = "Accept-Encoding";
        set.headers.etag = etag;
        if (matchesEtag(request.headers.get("if-none-match"), etag))
          return new Response(null, { status: 304 });
        if (!gzip) return asset.body;
        set.headers["content-encoding"] = "gzip";
        return asset.gzipped();
      },
      { detail: { hide: true } },
    );
  return plugin as unknown as Elysia;
}

function preparePage(path: string, specPath: string, title: string) {
  const css = docsAsset("swagger-ui", "css", swaggerUiCss, "text/css; charset=utf-8");
  const bundle = docsAsset("swagger-ui-bundle", "js", swaggerUiBundle, "text/javascript; charset=utf-8");
  const init = docsAsset("docs-page-init", "js", docsPageInit, "text/javascript; charset=utf-8");
  const url = (asset: DocsAsset) => `${path}/assets/${asset.name}`;
  const page = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)}</title>
  <link rel="stylesheet" href="${url(css)}">
  <link rel="icon" href="data:,">
</head>
<body>
  <div id="swagger-ui" data-spec-url="${escapeHtml(specPath)}"></div>
  <script src="${url(bundle)}"></script>
  <script src="${url(init)}"></script>
</body>
</html>
`;
  return { assets: new Map([css, bundle, init].map((asset) => [asset.name, asset])), page };
}
