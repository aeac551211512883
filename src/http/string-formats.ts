/**
 * @elysiajs/openapi, when imported, replaces TypeBox's string formats (uuid, email, date, ...) with
 * checks that build a Zod schema on every call: a `format: "uuid"` field then costs microseconds
 * per validation, on every request and response. This puts Elysia's own checks (compiled regular
 * expressions) back. Importing the plugin first makes the order certain.
 */
import "@elysiajs/openapi";
import { FormatRegistry } from "@sinclair/typebox";
import { fullFormats } from "elysia/type-system/format";

for (const [name, format] of Object.entries(fullFormats)) {
  if (format instanceof RegExp) FormatRegistry.Set(name, (value) => format.test(value));
  else if (typeof format === "function") FormatRegistry.Set(name, format as (value: string) => boolean);
}
