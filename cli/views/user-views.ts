import type { Page } from "../../src/core/domain/pagination";
import type { User } from "../../src/core/domain/user";
import { type Column, table, when } from "../output";

const COLUMNS: Column<User>[] = [
  { header: "EMAIL", value: (u) => u.email },
  { header: "ROLE", value: (u) => u.role },
  {
    header: "ACTIVE",
    value: (u) => (u.isActive ? "yes" : "no"),
    style: (u) => (u.isActive ? undefined : "red"),
  },
  { header: "VERIFIED", value: (u) => (u.emailVerifiedAt ? "yes" : "no") },
  { header: "LAST LOGIN", value: (u) => when(u.lastLoginAt) },
  { header: "ID", value: (u) => u.id },
];

export function userTable(page: Page<User>, colour: boolean): string {
  if (page.items.length === 0) return "no users\n";
  const more = page.nextCursor ? `more: --cursor ${page.nextCursor}\n` : "";
  return table(page.items, COLUMNS, colour) + more;
}
