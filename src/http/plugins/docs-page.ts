import { Elysia } from "elysia";
import swaggerUiCss from "swagger-ui-dist/swagger-ui.css" with { type: "text" };
import swaggerUiBundle from "swagger-ui-dist/swagger-ui-bundle.js" with { type: "text" };
import { NotFoundError } from "../../core/domain/errors";
import docsPageInit from "./docs-page-init.js" with { type: "text" };

// The assets are text imports so that `bun build --compile` embeds them in the binary: the page
// works offline and from the single binary, with no CDN for the Content-Security-Policy to allow.

interface Asset {
  body: Uint8Array;
  contentType: string;
}

/** An asset under a name that carries a hash of its content, so browsers may keep it for good. */
function hashedAsset(baseName: string, extension: string, text: string, contentType: string) {
  const body = new TextEncoder().encode(text);
  const name = `${baseName}.${Bun.hash(body).toString(36)}.${extension}`;
  return [name, { body, contentType }] as const;
}

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
  const assets = new Map<string, Asset>([
    hashedAsset("swagger-ui", "css", swaggerUiCss, "text/css; charset=utf-8"),
    hashedAsset("swagger-ui-bundle", "js", swaggerUiBundle, "text/javascript; charset=utf-8"),
    hashedAsset("docs-page-init", "js", docsPageInit, "text/javascript; charset=utf-8"),
  ]);
  const [css, bundle, init] = [...assets.keys()].map((name) => `${path}/assets/${name}`);
  const page = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)}</title>
  <link rel="stylesheet" href="${css}">
  <link rel="icon" href="data:,">
</head>
<body>
  <div id="swagger-ui" data-spec-url="${escapeHtml(specPath)}"></div>
  <script src="${bundle}"></script>
  <script src="${init}"></script>
</body>
</html>
`;

  const plugin = new Elysia({ name: "docs-page", seed: path })
    .get(
      path,
      ({ set }) => {
        set.headers["content-type"] = "text/html; charset=utf-8";
        // The page names the current assets: revalidate it, keep the assets.
        set.headers["cache-control"] = "no-cache";
        return page;
      },
      { detail: { hide: true } },
    )
    .get(
      `${path}/assets/:name`,
      ({ params, set }) => {
        const asset = assets.get(params.name);
        if (!asset) throw new NotFoundError("DOCS_ASSET_NOT_FOUND", "No documentation asset has this name.");
        set.headers["content-type"] = asset.contentType;
        set.headers["cache-control"] = "public, max-age=31536000, immutable";
        return asset.body;
      },
      { detail: { hide: true } },
    );
  return plugin as unknown as Elysia;
}
