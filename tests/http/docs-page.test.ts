import { beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, testApp } from "../support/app";
import { allowDatabaseStartup } from "../support/slow-setup";

// The /docs page as HTTP sees it. tests/http/docs-browser.test.ts renders it in Chromium.

allowDatabaseStartup();

let t: TestApp;
let page: Awaited<ReturnType<TestApp["call"]>>;
beforeAll(async () => {
  t = await testApp();
  page = await t.call("GET", "/docs");
});

/** The src and href of the page's scripts and stylesheets, in order. */
function assetUrls(html: string): string[] {
  return [...html.matchAll(/<(?:script src|link rel="stylesheet" href)="([^"]+)"/g)].map((m) => m[1]!);
}

describe("GET /docs", () => {
  test("is an HTML page whose scripts are all files: no inline script for the policy to allow", () => {
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const scripts = [...(page.body as string).matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBe(2);
    for (const [tag, content] of scripts) {
      expect(tag).toContain(' src="/docs/assets/');
      expect(content).toBe("");
    }
    expect(page.body).toContain('data-spec-url="/openapi.json"');
  });

  test("has a policy of 'self' only: no CDN, no inline script or style, no eval", () => {
    const policy = page.headers.get("content-security-policy")!;
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain("style-src 'self';");
    expect(policy).toContain("connect-src 'self';");
    expect(policy).not.toMatch(/https?:|unsafe-/);
  });

  test("is revalidated on every visit, so a new release's assets are picked up", () => {
    expect(page.headers.get("cache-control")).toBe("no-cache");
  });

  test("serves the Swagger UI files of the pinned swagger-ui-dist package, cached for good", async () => {
    const urls = assetUrls(page.body);
    expect(urls).toHaveLength(3);
    const expected = {
      "swagger-ui": { file: "swagger-ui.css", type: "text/css; charset=utf-8" },
      "swagger-ui-bundle": { file: "swagger-ui-bundle.js", type: "text/javascript; charset=utf-8" },
    } as const;
    for (const [name, { file, type }] of Object.entries(expected)) {
      const url = urls.find((u) => u.startsWith(`/docs/assets/${name}.`))!;
      const res = await t.app.handle(new Request(`http://localhost${url}`));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe(type);
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      const served = new Uint8Array(await res.arrayBuffer());
      const packaged = await Bun.file(Bun.resolveSync(`swagger-ui-dist/${file}`, import.meta.dir)).bytes();
      expect(served).toEqual(packaged);
    }
  });

  test("names each asset by a hash of its content: a changed file is a new URL", async () => {
    for (const url of assetUrls(page.body)) {
      const res = await t.app.handle(new Request(`http://localhost${url}`));
      const hash = Bun.hash(new Uint8Array(await res.arrayBuffer())).toString(36);
      expect(url).toMatch(new RegExp(`\\.${hash}\\.(css|js)$`));
    }
  });

  test("an unknown asset is a 404 problem, not a file from the disk", async () => {
    for (const name of ["swagger-ui-bundle.js", "..%2Fpackage.json", "swagger-ui.css.map"]) {
      const res = await t.call("GET", `/docs/assets/${name}`);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toStartWith("application/problem+json");
      expect(res.body.code).toBe("DOCS_ASSET_NOT_FOUND");
    }
  });

  test("the page and its assets are not operations of the OpenAPI document", async () => {
    const spec = (await t.call("GET", "/openapi.json")).body;
    expect(Object.keys(spec.paths).filter((path) => path.startsWith("/docs"))).toEqual([]);
  });

  test("the API keeps its own policy, also on paths that merely start like the page's", async () => {
    for (const path of ["/health", "/docsx"]) {
      const res = await t.call("GET", path);
      expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    }
  });
});
