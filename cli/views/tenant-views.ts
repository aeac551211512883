import type { Page } from "../../src/core/domain/pagination";
import type { Tenant, TenantStatus } from "../../src/core/domain/tenant";
import { type Column, fields, type Style, table, when } from "../output";

const STATUS_STYLE: Record<TenantStatus, Style> = { active: "green", suspended: "yellow", cancelled: "red" };

const COLUMNS: Column<Tenant>[] = [
  { header: "SLUG", value: (t) => t.slug },
  { header: "NAME", value: (t) => t.name },
  { header: "PLAN", value: (t) => t.plan },
  { header: "STATUS", value: (t) => t.status, style: (t) => STATUS_STYLE[t.status] },
  { header: "CREATED", value: (t) => when(t.createdAt) },
  { header: "ID", value: (t) => t.id },
];

export function tenantTable(page: Page<Tenant>, colour: boolean): string {
  if (page.items.length === 0) return "no tenants\n";
  const more = page.nextCursor ? `more: --cursor ${page.nextCursor}\n` : "";
  return table(page.items, COLUMNS, colour) + more;
}

export function tenantDetails(tenant: Tenant, colour: boolean): string {
  return fields(
    [
      ["id", tenant.id],
      ["slug", tenant.slug],
      ["name", tenant.name],
      ["plan", tenant.plan],
      ["status", tenant.status],
      ["domain", tenant.domain ?? "-"],
      ["settings", JSON.stringify(tenant.settings)],
      ["created", when(tenant.createdAt)],
      ["updated", when(tenant.updatedAt)],
    ],
    colour,
  );
}
