import type { ApiKey } from "../../src/core/domain/api-key";
import type { Page } from "../../src/core/domain/pagination";
import { type Column, fields, table, when } from "../output";

const COLUMNS: Column<ApiKey>[] = [
  { header: "NAME", value: (k) => k.name },
  { header: "KIND", value: (k) => k.kind },
  { header: "PREFIX", value: (k) => k.prefix },
  { header: "PERMISSIONS", value: (k) => (k.permissions.length > 0 ? k.permissions.join(",") : "-") },
  { header: "CREATED BY", value: (k) => `${k.createdBy.type}:${k.createdBy.id}` },
  { header: "CREATED", value: (k) => when(k.createdAt) },
  { header: "EXPIRES", value: (k) => when(k.expiresAt) },
  { header: "LAST USED", value: (k) => when(k.lastUsedAt) },
  { header: "ID", value: (k) => k.id },
];

export function apiKeyTable(page: Page<ApiKey>, colour: boolean): string {
  if (page.items.length === 0) return "no API keys\n";
  const more = page.nextCursor ? `more: --cursor ${page.nextCursor}\n` : "";
  return table(page.items, COLUMNS, colour) + more;
}

/** A new key and its secret: printed once, never again. */
export function createdApiKey({ key, secret }: { key: ApiKey; secret: string }, colour: boolean): string {
  const summary = fields(
    [
      ["id", key.id],
      ["name", key.name],
      ["kind", key.kind],
      ["permissions", key.permissions.join(",") || "-"],
      ["expires", when(key.expiresAt)],
      ["secret", secret],
    ],
    colour,
  );
  return `${summary}The secret is shown only now: store it in your secret manager.\n`;
}
