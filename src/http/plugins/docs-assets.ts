import { promisify } from "node:util";
import { gzip } from "node:zlib";

const gzipAsync = promisify(gzip);

/**
 * One file of the documentation page, under a name that carries a hash of its content so browsers
 * may keep it for good. The gzip form is made on the first request that accepts it (off the event
 * loop, once), not at start-up: most instances never serve the page.
 */
export interface DocsAsset {
  name: string;
  body: Uint8Array;
  contentType: string;
  /** Entity tags differ by encoding: a cache must not answer a gzip request with identity bytes. */
  etag: { identity: string; gzip: string };
  gzipped(): Promise<Uint8Array<ArrayBuffer>>;
}

export function docsAsset(baseName: string, extension: string, text: string, contentType: string): DocsAsset {
  const body = new TextEncoder().encode(text);
  const hash = Bun.hash(body).toString(36);
  let gzipped: Promise<Uint8Array<ArrayBuffer>> | undefined;
  return {
    name: `${baseName}.${hash}.${extension}`,
    body,
    contentType,
    etag: { identity: `"${hash}"`, gzip: `"${hash}-gzip"` },
    gzipped: () => {
      gzipped ??= gzipAsync(body, { level: 9 }).then((buffer) => new Uint8Array(buffer));
      return gzipped;
    },
  };
}

/**
 * Whether an Accept-Encoding header (RFC 9110 §12.5.3) accepts gzip: named (or as x-gzip) with a
 * weight above 0, or covered by `*` with a weight above 0. No header means identity.
 */
export function acceptsGzip(header: string | null): boolean {
  if (!header) return false;
  let gzipWeight: number | undefined;
  let anyWeight: number | undefined;
  for (const part of header.split(",")) {
    const [coding = "", ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith("q="));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    if (Number.isNaN(weight)) continue;
    if (coding === "gzip" || coding === "x-gzip") gzipWeight = Math.max(gzipWeight ?? 0, weight);
    else if (coding === "*") anyWeight = weight;
  }
  return (gzipWeight ?? anyWeight ?? 0) > 0;
}

/** Whether If-None-Match names `etag` (weak comparison, as RFC 9110 §13.1.2 asks for GET). */
export function matchesEtag(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  return ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}
