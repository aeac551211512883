import type { FlagContext } from "./types";

/** A context field by name: a top-level field first, then `properties`; empty counts as missing. */
export function contextValue(context: FlagContext, field: string): string | undefined {
  const direct = (context as Record<string, unknown>)[field];
  if (direct !== undefined && direct !== null && direct !== "" && typeof direct !== "object") {
    return String(direct);
  }
  if (direct instanceof Date) return direct.toISOString();
  const property = context.properties?.[field];
  return property ? property : undefined;
}
