import { Elysia } from "elysia";
import { MalformedJsonError, PayloadTooLargeError } from "./errors";

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

/**
 * Parses JSON bodies ourselves: the size limit holds for chunked bodies too, and malformed JSON is a
 * problem+json 400 rather than Elysia's plain text.
 */
export function jsonBodyPlugin(maxBodyBytes: number) {
  return new Elysia({ name: "json-body" }).onParse({ as: "global" }, async ({ request, contentType }) => {
    if (!contentType.startsWith("application/json")) {
      const declared = Number(request.headers.get("content-length") ?? 0);
      if (declared > maxBodyBytes) throw new PayloadTooLargeError(maxBodyBytes);
      return;
    }
    const text = await readLimited(request, maxBodyBytes);
    if (text.trim() === "") return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new MalformedJsonError();
    }
  });
}
