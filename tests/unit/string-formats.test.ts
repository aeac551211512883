import { describe, expect, test } from "bun:test";
import { FormatRegistry } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { t } from "elysia";
import "../../src/http/string-formats";

describe("string formats after the OpenAPI plugin is loaded", () => {
  test.each([
    ["uuid", "0190d1f4-5b2a-7000-8000-000000000001", "0190d1f4-5b2a-7000-8000-00000000000"],
    ["email", "ada@example.com", "ada@"],
    ["date-time", "2026-11-27T02:00:00.000Z", "yesterday"],
  ])("%s accepts a valid value and refuses an invalid one", (format, valid, invalid) => {
    const schema = t.String({ format });
    expect(Value.Check(schema, valid)).toBe(true);
    expect(Value.Check(schema, invalid)).toBe(false);
  });

  test.each(["uuid", "email"])(
    "the %s check is Elysia's pattern, not a Zod schema built per call",
    (format) => {
      const check = FormatRegistry.Get(format)?.toString() ?? "";
      expect(check).toContain(".test(value)");
      expect(check).not.toContain("safeParse");
    },
  );
});
