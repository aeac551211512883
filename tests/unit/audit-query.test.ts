import { describe, expect, test } from "bun:test";
import { auditCursor, auditFilter, auditPageLimit } from "../../src/core/domain/audit-query";
import { ValidationError } from "../../src/core/domain/errors";

const problemOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as ValidationError;
  }
  throw new Error("expected a ValidationError");
};

describe("auditFilter", () => {
  test("an action ending in .* is a prefix; any other is exact", () => {
    expect(auditFilter({ action: "auth.*" }).action).toEqual({ prefix: "auth." });
    expect(auditFilter({ action: "auth.login.*" }).action).toEqual({ prefix: "auth.login." });
    expect(auditFilter({ action: "user.role_changed" }).action).toEqual({ exact: "user.role_changed" });
  });

  test("wildcards elsewhere, SQL patterns and empty segments are refused as INVALID_AUDIT_FILTER", () => {
    for (const action of ["*", "auth*", "auth.%", "auth..login", "Auth.login", "auth.*.failed", ""]) {
      const error = problemOf(() => auditFilter({ action }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.code).toBe("INVALID_AUDIT_FILTER");
      expect(error.errors).toEqual([{ field: "action", message: expect.any(String) }]);
    }
  });

  test("from after to, invalid instants and unknown outcomes name their fields", () => {
    const error = problemOf(() =>
      auditFilter({
        from: new Date("2026-02-01T00:00:00Z"),
        to: new Date("2026-01-01T00:00:00Z"),
        outcome: "maybe" as never,
      }),
    );
    expect(error.errors.map((e) => e.field).sort()).toEqual(["outcome", "to"]);
    expect(problemOf(() => auditFilter({ from: new Date("nope") })).errors[0]!.field).toBe("from");
  });

  test("the other fields pass through as given", () => {
    const from = new Date("2026-01-01T00:00:00Z");
    expect(
      auditFilter({ actorId: "ops", resourceType: "user", resourceId: "u1", outcome: "denied", from }),
    ).toEqual({ actorId: "ops", resourceType: "user", resourceId: "u1", outcome: "denied", from });
  });
});

describe("audit pages", () => {
  test("the limit is 50 by default and 1 to 200", () => {
    expect(auditPageLimit(undefined)).toBe(50);
    expect(auditPageLimit(200)).toBe(200);
    expect(problemOf(() => auditPageLimit(201)).errors[0]!.field).toBe("limit");
    expect(problemOf(() => auditPageLimit(0)).code).toBe("INVALID_AUDIT_FILTER");
  });

  test("a cursor carries a seq and reads back as it", () => {
    expect(auditCursor.decode(auditCursor.encode(12345))).toBe(12345);
  });

  test("a cursor this API did not issue is 422 INVALID_CURSOR", () => {
    for (const cursor of [
      "",
      "abc",
      Buffer.from("seq:0").toString("base64url"),
      Buffer.from("seq:-1").toString("base64url"),
    ]) {
      expect(problemOf(() => auditCursor.decode(cursor)).code).toBe("INVALID_CURSOR");
    }
  });
});
