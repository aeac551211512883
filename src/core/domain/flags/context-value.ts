import type { FlagContext } from "./types";

/**
 * A context field by name: a top-level field first, then `properties`; empty, null and anything but
 * text, numbers and dates count as missing. Only the context's own fields are read, so a constraint
 * on `constructor` or `__proto__` sees a missing field, not something inherited from Object.
 */
export function contextValue(context: FlagContext, field: string): string | undefined {
  const direct = Object.hasOwn(context, field) ? (context as Record<string, unknown>)[field] : undefined;
  if (typeof direct === "string" && direct !== "") return direct;
  if (typeof direct === "number" || typeof direct === "boolean") return String(direct);
  if (direct instanceof Date) return direct.toISOString();
  const properties = context.properties;
  const property = properties && Object.hasOwn(properties, field) ? properties[field] : undefined;
  if (typeof property === "number") return String(property);
  return typeof property === "string" && property !== "" ? property : undefined;
}
