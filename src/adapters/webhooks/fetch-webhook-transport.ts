import { isIP } from "node:net";
import { ipLiteralOf } from "../../core/domain/webhook-target";
import type { WebhookSendResult, WebhookTransport } from "../../core/ports/webhook-transport";

export const WEBHOOK_TIMEOUT_MS = 10_000;
export const WEBHOOK_RESPONSE_SNIPPET_BYTES = 1024;

/** Whether a webhook URL may be called now and, if so, an address its host was just checked to have. */
export type CheckedWebhookTarget = { kind: "refused"; reason: string } | { kind: "allowed"; address: string };

export interface FetchWebhookTransportDeps {
  /**
   * Resolves and checks the URL's host right before every request, so a name re-pointed since
   * registration (DNS rebinding) is caught. The request then connects to the checked address itself:
   * the name is not resolved a second time.
   */
  check(url: string): Promise<CheckedWebhookTarget>;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Extra trusted certificate authorities in PEM (tests' self-signed receivers); verification stays on. */
  tlsCa?: string;
}

/**
 * The request pinned to `address`: the URL with the address for host, the original `Host` header,
 * and for https the original name for SNI and certificate verification.
 */
export function pinnedRequest(text: string, address: string) {
  const url = new URL(text);
  const pinned = new URL(url.href);
  pinned.hostname = isIP(address) === 6 ? `[${address}]` : address;
  const named = ipLiteralOf(url) === null;
  return {
    href: pinned.href,
    host: url.host,
    serverName: url.protocol === "https:" && named ? url.hostname : null,
  };
}

/** Reads at most `limit` bytes of the answer and drops the rest unread. */
async function snippetOf(response: Response, limit: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < limit) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => {});
  const bytes = Buffer.concat(chunks).subarray(0, limit);
  return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
}

function describeFailure(error: unknown): string {
  if (error instanceof DOMException && error.name === "TimeoutError") return "Timed out.";
  if (error instanceof Error) return error.message.slice(0, 300);
  return "The request failed.";
}

/** POSTs with fetch: no redirect followed (a 3xx is the answer, not a success), a hard timeout. */
export function fetchWebhookTransport(deps: FetchWebhookTransportDeps): WebhookTransport {
  const send = deps.fetch ?? fetch;
  const timeoutMs = deps.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  return {
    async post(url, headers, body): Promise<WebhookSendResult> {
      try {
        const target = await deps.check(url);
        if (target.kind === "refused") return { kind: "failed", error: target.reason };
        const request = pinnedRequest(url, target.address);
        const tls = {
          ...(request.serverName === null ? {} : { serverName: request.serverName }),
          ...(deps.tlsCa === undefined ? {} : { ca: deps.tlsCa }),
        };
        const response = await send(request.href, {
          method: "POST",
          headers: { ...headers, host: request.host },
          body,
          redirect: "manual",
          signal: AbortSignal.timeout(timeoutMs),
          tls,
        });
        const responseSnippet = await snippetOf(response, WEBHOOK_RESPONSE_SNIPPET_BYTES);
        return { kind: "answered", statusCode: response.status, responseSnippet };
      } catch (error) {
        return { kind: "failed", error: describeFailure(error) };
      }
    },
  };
}
