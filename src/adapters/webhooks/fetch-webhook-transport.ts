import type { WebhookSendResult, WebhookTransport } from "../../core/ports/webhook-transport";

export const WEBHOOK_TIMEOUT_MS = 10_000;
export const WEBHOOK_RESPONSE_SNIPPET_BYTES = 1024;

export interface FetchWebhookTransportDeps {
  /**
   * Why the URL must not be called now (its host resolves to the platform's network, say), or null.
   * Asked right before every request, so a name re-pointed since registration (DNS rebinding) is
   * caught. fetch resolves the name again to connect: a resolver answering differently within those
   * milliseconds is the residual window, which only pinning the connection to the checked address
   * would close.
   */
  refusal(url: string): Promise<string | null>;
  timeoutMs?: number;
  fetch?: typeof fetch;
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
        const refusal = await deps.refusal(url);
        if (refusal !== null) return { kind: "failed", error: refusal };
        const signal = AbortSignal.timeout(timeoutMs);
        const response = await send(url, { method: "POST", headers, body, redirect: "manual", signal });
        const responseSnippet = await snippetOf(response, WEBHOOK_RESPONSE_SNIPPET_BYTES);
        return { kind: "answered", statusCode: response.status, responseSnippet };
      } catch (error) {
        return { kind: "failed", error: describeFailure(error) };
      }
    },
  };
}
