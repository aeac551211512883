import { describe, expect, test } from "bun:test";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { describeError } from "../../src/adapters/system/describe-error";

describe("describeError", () => {
  test("an error of our code is named by its class and message, never as a database error", () => {
    expect(describeError(new RangeError("Maximum call stack size exceeded."))).toBe(
      "RangeError: Maximum call stack size exceeded.",
    );
    expect(describeError(new TypeError("x is not a function\n    at f (a.ts:1:1)"))).toBe(
      "TypeError: x is not a function",
    );
    class QuotaExceeded extends Error {}
    expect(describeError(new QuotaExceeded("too many"))).toBe("QuotaExceeded: too many");
  });

  test("a system error carries its code, and is not mistaken for a SQLSTATE", () => {
    const epipe = Object.assign(new Error("write EPIPE"), { code: "EPIPE" });
    expect(describeError(epipe)).toBe("Error (EPIPE): write EPIPE");
  });

  test("an error PostgreSQL reported is described by its SQLSTATE", () => {
    const reported = Object.assign(new Error("invalid input syntax for type json"), {
      code: "22P02",
      severity: "ERROR",
    });
    expect(describeError(reported)).toBe("SQLSTATE 22P02: invalid input syntax for type json");
  });

  test("a failed query is a database error described by its cause, without the query or its parameters", () => {
    const secret = "$2b$04$hash-that-must-not-leak";
    const failed = (cause: Error) =>
      new DrizzleQueryError("select * from users where h = $1", [secret], cause);
    const closed = Object.assign(new Error("write CONNECTION_CLOSED 127.0.0.1:5432"), {
      code: "CONNECTION_CLOSED",
    });
    expect(describeError(failed(closed))).toBe(
      "database error (CONNECTION_CLOSED): write CONNECTION_CLOSED 127.0.0.1:5432",
    );
    const reported = Object.assign(new Error("deadlock detected"), { code: "40P01", severity: "ERROR" });
    expect(describeError(failed(reported))).toBe("SQLSTATE 40P01: deadlock detected");
    expect(describeError(failed(reported))).not.toContain(secret);
  });

  test("a thrown value that is not an Error is named by its type", () => {
    expect(describeError("plain string")).toBe("string thrown: plain string");
    expect(describeError(null)).toBe("null thrown: null");
  });
});
