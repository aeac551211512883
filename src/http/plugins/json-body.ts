import { Elysia } from "elysia";
import { exceedsJsonDepth, MAX_JSON_DEPTH } from "../json-depth";
import {
  InvalidCharacterError,
  JsonTooDeepError,
  MalformedJsonError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from "./errors";

const decoder = new TextDecoder();

async function readLimited(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > limit) throw new PayloadTooLargeError(limit);
  // A declared length bounds what the server reads; only a chunked body needs counting as it comes.
  if (Number.isInteger(declared)) return request.text();
  if (!request.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body) {
    size += chunk.byteLength;
    if (size > limit) throw new PayloadTooLargeError(limit);
    chunks.push(chunk);
  }
  return decoder.decode(Buffer.concat(chunks));
}

function isJson(contentType: string): boolean {
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return mediaType === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
}

/**
 * NUL has no place in PostgreSQL text. A lone UTF-16 surrogate has no UTF-8 form: drivers would store
 * U+FFFD in its place, and PostgreSQL's json types refuse its escape outright.
 */
function isRefusedText(text: string): boolean {
  return text.includes("\u0000") || !text.isWellFormed();
}

/** True when a refused character hides in any string or key of a parsed JSON value (depth-bounded). */
function containsRefusedCharacter(value: unknown): boolean {
  if (typeof value === "string") return isRefusedText(value);
  if (Array.isArray(value)) return value.some(containsRefusedCharacter);
  if (value && typeof value === "object") {
    return Object.entries(value).some(
      ([key, inner]) => isRefusedText(key) || containsRefusedCharacter(inner),
    );
  }
  return false;
}

// JSON spells both only as escapes (a raw NUL is a syntax error; decoded UTF-8 holds no lone surrogate).
const REFUSED_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;

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
  return new Elysia({ name: "json-body" })
    .onRequest(({ request }) => {
      // NUL is no valid character in PostgreSQL text: refuse it at the door, in the query too.
      // (`%00` has no letter: a plain search finds what a case-blind pattern would.)
      if (request.url.includes("%00")) throw new InvalidCharacterError();
    })
    .onParse({ as: "global" }, async ({ request, contentType }) => {
      if (!hasBody(request)) {
        if (isJson(contentType)) throw new MalformedJsonError();
        return;
      }
      if (!isJson(contentType)) throw new UnsupportedMediaTypeError(contentType);
      const text = await readLimited(request, maxBodyBytes);
      if (exceedsJsonDepth(text, MAX_JSON_DEPTH)) throw new JsonTooDeepError(MAX_JSON_DEPTH);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new MalformedJsonError();
      }
      // Without an escape in the text there is nothing to look for.
      if (text.includes("\\u") && REFUSED_ESCAPE.test(text) && containsRefusedCharacter(body)) {
        throw new InvalidCharacterError();
      }
      return body;
    });
}
