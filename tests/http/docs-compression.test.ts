import { beforeAll, describe, expect, test } from "bun:test";
import { acceptsGzip, docsAsset, matchesEtag } from "../../src/http/plugins/docs-assets";
import { type TestApp, testApp } from "../support/app";
import { allowDatabaseStartup } from "../support/slow-setup";

// How /docs assets are encoded for the client that asks. tests/http/docs-page.test.ts covers the page.

allowDatabaseStartup();

let t: TestApp;
let bundleUrl: string;
let packaged: Uint8Array<ArrayBuffer>;
beforeAll(async () => {
  t = await testApp();
  const page = (await t.call("GET", "/docs")).body as string;
  bundleUrl = page.match(/src="(\/docs\/assets\/swagger-ui-bundle\.[^"]+)"/)![1]!;
  packaged = await Bun.file(Bun.resolveSync("swagger-ui-dist/swagger-ui-bundle.js", import.meta.dir)).bytes();
});

const get = (headers: Record<string, string>) =>
  t.app.handle(new Request(`http://localhost${bundleUrl}`, { headers }));

describe("GET /docs/assets/:name, content negotiation", () => {
  test("a client that accepts gzip gets the gzip form, which unpacks to the packaged file", async () => {
    const res = await get({ "accept-encoding": "gzip, deflate, br" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(res.headers.get("vary")).toBe("Accept-Encoding");
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const sent = new Uint8Array(await res.arrayBuffer());
    expect(sent.length).toBeLessThan(packaged.length / 3);
    expect(Bun.gunzipSync(sent)).toEqual(packaged);
  });

  test("a client that does not accept gzip gets the file as it is, with Vary all the same", async () => {
    for (const header of [undefined, "identity", "br", "gzip;q=0", "gzip;q=0, *"]) {
      const res = await get(header === undefined ? {} : { "accept-encoding": header });
      expect(res.headers.get("content-encoding")).toBeNull();
      expect(res.headers.get("vary")).toBe("Accept-Encoding");
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(packaged);
    }
  });

  test("each encoding has its own ETag, and a matching If-None-Match is a 304 without a body", async () => {
    const gzipped = await get({ "accept-encoding": "gzip" });
    const plain = await get({});
    const gzipTag = gzipped.headers.get("etag")!;
    const plainTag = plain.headers.get("etag")!;
    expect(gzipTag).toMatch(/^"[0-9a-z]+-gzip"$/);
    expect(plainTag).toMatch(/^"[0-9a-z]+"$/);

    const revalidated = await get({ "accept-encoding": "gzip", "if-none-match": gzipTag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("etag")).toBe(gzipTag);
    expect(revalidated.headers.get("vary")).toBe("Accept-Encoding");
    expect(await revalidated.text()).toBe("");

    // The identity tag does not validate the gzip form: the client gets the bytes it asked for.
    const other = await get({ "accept-encoding": "gzip", "if-none-match": plainTag });
    expect(other.status).toBe(200);
    expect(other.headers.get("content-encoding")).toBe("gzip");
  });
});

describe("docs asset helpers", () => {
  test("acceptsGzip reads codings, weights, x-gzip and the wildcard as RFC 9110 does", () => {
    expect(acceptsGzip(null)).toBe(false);
    expect(acceptsGzip("")).toBe(false);
    expect(acceptsGzip("gzip")).toBe(true);
    expect(acceptsGzip("GZIP;Q=0.5")).toBe(true);
    expect(acceptsGzip("x-gzip")).toBe(true);
    expect(acceptsGzip("br;q=1, gzip;q=0.1")).toBe(true);
    expect(acceptsGzip("*")).toBe(true);
    expect(acceptsGzip("*;q=0")).toBe(false);
    expect(acceptsGzip("gzip;q=0, *;q=1")).toBe(false);
    expect(acceptsGzip("deflate, br")).toBe(false);
  });

  test("matchesEtag compares weakly, over a list, and honours *", () => {
    expect(matchesEtag(null, '"a"')).toBe(false);
    expect(matchesEtag('"b", W/"a"', '"a"')).toBe(true);
    expect(matchesEtag("*", '"a"')).toBe(true);
    expect(matchesEtag('"a-gzip"', '"a"')).toBe(false);
  });

  test("an asset is compressed once: every gzip request shares the same bytes", async () => {
    const asset = docsAsset("x", "js", "console.log(1);".repeat(1000), "text/javascript");
    const first = asset.gzipped();
    expect(asset.gzipped()).toBe(first);
    expect(new TextDecoder().decode(Bun.gunzipSync(await first))).toBe("console.log(1);".repeat(1000));
  });
});
