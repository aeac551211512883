import type { Page } from "../../src/core/domain/pagination";
import {
  type WebhookAttempt,
  type WebhookEndpoint,
  type WebhookMessage,
  webhookMessageId,
} from "../../src/core/domain/webhook";
import { type Column, table, when } from "../output";

const more = (page: Page<unknown>) => (page.nextCursor ? `more: --cursor ${page.nextCursor}\n` : "");

const ENDPOINT_COLUMNS: Column<WebhookEndpoint>[] = [
  { header: "URL", value: (e) => e.url },
  { header: "EVENTS", value: (e) => e.events.join(",") },
  { header: "STATE", value: (e) => (e.disabledAt ? "disabled (failing)" : e.enabled ? "enabled" : "off") },
  { header: "FAILURES", value: (e) => String(e.consecutiveFailures) },
  { header: "CREATED", value: (e) => when(e.createdAt) },
  { header: "ID", value: (e) => e.id },
];

export function webhookEndpointTable(page: Page<WebhookEndpoint>, colour: boolean): string {
  if (page.items.length === 0) return "no webhook endpoints\n";
  return table(page.items, ENDPOINT_COLUMNS, colour) + more(page);
}

const MESSAGE_COLUMNS: Column<WebhookMessage>[] = [
  { header: "EVENT", value: (m) => m.eventType },
  { header: "STATUS", value: (m) => m.status },
  { header: "ATTEMPTS", value: (m) => String(m.attempts) },
  { header: "NEXT ATTEMPT", value: (m) => (m.status === "pending" ? when(m.nextAttemptAt) : "-") },
  { header: "CREATED", value: (m) => when(m.createdAt) },
  { header: "WEBHOOK-ID", value: (m) => webhookMessageId(m.id) },
  { header: "ID", value: (m) => m.id },
];

export function webhookMessageTable(page: Page<WebhookMessage>, colour: boolean): string {
  if (page.items.length === 0) return "no messages\n";
  return table(page.items, MESSAGE_COLUMNS, colour) + more(page);
}

const ATTEMPT_COLUMNS: Column<WebhookAttempt>[] = [
  { header: "AT", value: (a) => when(a.attemptedAt) },
  { header: "STATUS", value: (a) => (a.statusCode === null ? "-" : String(a.statusCode)) },
  { header: "MS", value: (a) => String(a.durationMs) },
  { header: "ERROR", value: (a) => a.error ?? "-" },
];

export function webhookAttemptTable(attempts: WebhookAttempt[], colour: boolean): string {
  if (attempts.length === 0) return "no attempts yet\n";
  return table(attempts, ATTEMPT_COLUMNS, colour);
}
