/** What came of one POST to a receiver: its answer, or why none came. */
export type WebhookSendResult =
  | { kind: "answered"; statusCode: number; responseSnippet: string }
  | { kind: "failed"; error: string };

/**
 * Sends a delivery to a receiver's URL. The adapter refuses targets on the platform's own network
 * (checked after resolving the host, right before the request), follows no redirect and gives up
 * after its timeout; it never throws.
 */
export interface WebhookTransport {
  post(url: string, headers: Record<string, string>, body: string): Promise<WebhookSendResult>;
}
