import { Elysia } from "elysia";
import { MalformedJsonError, PayloadTooLargeError, UnsupportedMediaTypeError } from "./errors";

async function readLimited(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > limit) throw new PayloadTooLargeError(limit);
  if (!request.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body) {
    size += chunk.byteLength;
    if (size > limit) throw new PayloadTooLargeError(limit);
    chunks.push(chunk);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

function isJson(contentType: string): boolean {
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return mediaType === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
}

function hasBody(request: Request): boolean {
  if (!request.body) return false;
  const declared = request.headers.get("content-length");
  return declared === null || Number(declared) > 0;
}

/**
 * The API takes JSON bodies only, parsed here: the size limit holds for chunked bodies too, any other
 * media type is 415 (so no HTML form can post to the API across sites), and malformed JSON is a
 * problem+json 400 rather than Elysia's plain text. Routes with a body declare `parse: "json"` as
 * well: this parser runs first, and the OpenAPI document lists only named parsers' media types.
 */
export function jsonBodyPlugin(maxBodyBytes: number) {
  return new Elysia({ name: "json-body" }).onParse({ as: "global" }, async ({ request, contentType }) => {
    if (!hasBody(request)) {
      if (isJson(contentType)) throw new MalformedJsonError();
      return;
    }
    if (!isJson(contentType)) throw new UnsupportedMediaTypeError(contentType);
    const text = await readLimited(request, maxBodyBytes);
    try {
      return JSON.parse(text);
    } catch {
      throw new MalformedJsonError();
    }
  });
}
