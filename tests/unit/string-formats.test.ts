import { describe, expect, test } from "bun:test";
import { FormatRegistry } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { t } from "elysia";
import { isCanonicalDateTime, isDateTime } from "../../src/http/string-formats";

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

describe("the date-time fast path", () => {
  const registered = FormatRegistry.Get("date-time")!;
  const pad = (n: number, width: number) => String(n).padStart(width, "0");
  const at = (y: number, mo: number, d: number, h = 12, mi = 30, s = 45, ms = "123", z = "Z") =>
    `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${ms}${z}`;

  /**
   * The registered check must agree with Elysia's on `value`, and the fast path may only say yes to
   * what Elysia accepts; with `fast`, the fast path must itself say what Elysia says (a value in its
   * shape that is not a leap second), so the fallback does not hide a fast path that refuses too much.
   */
  function agrees(value: string, fast = false) {
    const original = isDateTime(value);
    const quick = isCanonicalDateTime(value);
    if (registered(value) !== original || (quick && !original) || (fast && quick !== original)) return value;
    return null;
  }

  test("toISOString() of dates across years 0 to 9999 pass the fast path itself", () => {
    let seed = 19;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const max = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
    const min = new Date("0000-01-01T00:00:00.000Z").getTime();
    const refused: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const iso = new Date(min + random() * (max - min)).toISOString();
      if (!isCanonicalDateTime(iso) || !isDateTime(iso)) refused.push(iso);
    }
    expect(refused).toEqual([]);
    expect(isCanonicalDateTime(new Date().toISOString())).toBe(true);
  });

  test("every month and day, in leap and common years, is judged as Elysia's check judges it", () => {
    const disagreements: string[] = [];
    for (const year of [0, 1, 4, 100, 400, 1900, 1999, 2000, 2023, 2024, 2100, 2400, 9999])
      for (let month = 0; month <= 19; month++)
        for (let day = 0; day <= 39; day++) {
          const differs = agrees(at(year, month, day), true);
          if (differs) disagreements.push(differs);
        }
    expect(disagreements).toEqual([]);
    expect(registered(at(2024, 2, 29))).toBe(true);
    expect(registered(at(2023, 2, 29))).toBe(false);
    expect(registered(at(1900, 2, 29))).toBe(false);
    expect(registered(at(2000, 2, 29))).toBe(true);
    expect(registered(at(2026, 4, 31))).toBe(false);
  });

  test("every hour, minute and second in and past their ranges, leap seconds included, is judged as Elysia's check judges it", () => {
    const disagreements: string[] = [];
    for (const hour of [...Array(30).keys(), 60, 99])
      for (const minute of [...Array(70).keys(), 99])
        for (const second of [...Array(70).keys(), 99]) {
          const differs = agrees(at(2026, 12, 3, hour, minute, second), second !== 60);
          if (differs) disagreements.push(differs);
        }
    expect(disagreements).toEqual([]);
    // A leap second is not the fast path's shape of valid, and Elysia accepts it: so does the check.
    expect(isCanonicalDateTime(at(2016, 12, 31, 23, 59, 60))).toBe(false);
    expect(registered(at(2016, 12, 31, 23, 59, 60))).toBe(true);
  });

  test("every other shape, and every one-character change of a valid value, is judged as Elysia's check judges it", () => {
    const valid = "2026-12-03T17:31:13.123Z";
    const values = [
      valid,
      "2026-12-03t17:31:13.123z",
      "2026-12-03 17:31:13.123Z",
      "2026-12-03T17:31:13Z",
      "2026-12-03T17:31:13.1Z",
      "2026-12-03T17:31:13.123456Z",
      "2026-12-03T17:31:13.123+00:00",
      "2026-12-03T17:31:13.123-05:30",
      "2026-12-03T17:31:13.123+0530",
      "2026-12-03T17:31:13.123",
      "2026-12-03T17:31:13.123ZZ",
      " 2026-12-03T17:31:13.123Z",
      "2026-12-03T17:31:13.123Z ",
      "+012026-12-03T17:31:13.123Z",
      "-000001-12-03T17:31:13.123Z",
      "2026-12-03",
      "17:31:13.123Z",
      "",
      "yesterday",
      "２０２６-12-03T17:31:13.123Z",
      "2026-12-03T17:31:13.12３Z",
    ];
    const replacements = [
      "0",
      "1",
      "2",
      "3",
      "5",
      "6",
      "9",
      "-",
      ":",
      ".",
      "T",
      "t",
      "Z",
      "z",
      " ",
      "/",
      "a",
      "+",
      "\u0000",
      "٣",
    ];
    for (let i = 0; i < valid.length; i++) {
      for (const c of replacements) values.push(valid.slice(0, i) + c + valid.slice(i + 1));
      values.push(valid.slice(0, i) + valid.slice(i + 1));
    }
    expect(values.map((v) => agrees(v)).filter((v) => v !== null)).toEqual([]);
    expect(values.filter((v) => registered(v)).length).toBeGreaterThan(50);
    expect(values.filter((v) => !registered(v)).length).toBeGreaterThan(200);
  });
});
