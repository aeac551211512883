import { describe, expect, test } from "bun:test";
import list from "../../src/core/domain/common-passwords.txt" with { type: "text" };
import { ValidationError } from "../../src/core/domain/errors";
import {
  assertPasswordPolicy,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  passwordProblem,
} from "../../src/core/domain/password-policy";

const EMAIL = "ada@example.com";
const GOOD = "correct horse battery staple";
const entries = list.split("\n").filter((line) => line.length > 0);

function thrown(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("passwordProblem", () => {
  test("accepts a long, uncommon password unrelated to the email", () => {
    expect(passwordProblem(GOOD, EMAIL)).toBeNull();
  });

  test("refuses a password one character below the minimum and accepts one at it", () => {
    const twelve = "vK3#pL9!qZ2m";
    expect(twelve.length).toBe(PASSWORD_MIN_LENGTH);
    expect(passwordProblem(twelve, EMAIL)).toBeNull();
    expect(passwordProblem(twelve.slice(0, -1), EMAIL)).toBe("too_short");
    expect(passwordProblem("", EMAIL)).toBe("too_short");
  });

  test("accepts the maximum length and refuses 129 code points", () => {
    expect(passwordProblem("a".repeat(PASSWORD_MAX_LENGTH), EMAIL)).toBeNull();
    expect(passwordProblem("a".repeat(PASSWORD_MAX_LENGTH + 1), EMAIL)).toBe("too_long");
  });

  test("counts Unicode code points, not UTF-16 units", () => {
    const emoji = "😀";
    expect(emoji.length).toBe(2);
    expect(passwordProblem(emoji.repeat(11), EMAIL)).toBe("too_short");
    expect(passwordProblem(emoji.repeat(12), EMAIL)).toBeNull();
    expect(passwordProblem(emoji.repeat(128), EMAIL)).toBeNull();
    expect(passwordProblem(emoji.repeat(129), EMAIL)).toBe("too_long");
  });

  test("refuses a password from the common list", () => {
    expect(passwordProblem("qwerty123456", EMAIL)).toBe("common");
    expect(passwordProblem("1qaz2wsx3edc", EMAIL)).toBe("common");
  });

  test("refuses common passwords regardless of case and surrounding whitespace", () => {
    expect(passwordProblem("QWERTY123456", EMAIL)).toBe("common");
    expect(passwordProblem("QwErTy123456", EMAIL)).toBe("common");
    expect(passwordProblem("  qwerty123456\t", EMAIL)).toBe("common");
    expect(passwordProblem(" Qwerty123456\n", EMAIL)).toBe("common");
  });

  test("refuses the email itself, case-insensitively", () => {
    const email = "grace.hopper@example.com";
    expect(passwordProblem(email, email)).toBe("same_as_email");
    expect(passwordProblem("Grace.Hopper@Example.COM", email)).toBe("same_as_email");
  });

  test("refuses the local part when it is at least 12 characters long", () => {
    expect(passwordProblem("Grace.Hopper", "grace.hopper@example.com")).toBe("same_as_email");
    expect(passwordProblem("ada.lovelace.byron", "Ada.Lovelace.Byron@example.com")).toBe("same_as_email");
  });

  test("allows a password that only contains the email or extends a short local part", () => {
    expect(passwordProblem("ada-lovelace-1815", EMAIL)).toBeNull();
    expect(passwordProblem(`${EMAIL}!`, EMAIL)).toBeNull();
  });

  test("reports the first problem: a common password that is also the local part is common", () => {
    expect(passwordProblem("qwerty123456", "qwerty123456@example.com")).toBe("common");
  });
});

describe("assertPasswordPolicy", () => {
  test("returns quietly for an acceptable password", () => {
    expect(() => assertPasswordPolicy(GOOD, EMAIL)).not.toThrow();
  });

  test("throws a WEAK_PASSWORD ValidationError naming the reason on the password field", () => {
    const error = thrown(() => assertPasswordPolicy("short", EMAIL));
    expect(error).toBeInstanceOf(ValidationError);
    const validation = error as ValidationError;
    expect(validation.code).toBe("WEAK_PASSWORD");
    expect(validation.kind).toBe("validation");
    expect(validation.message).toBe("The password must be at least 12 characters long.");
    expect(validation.errors).toEqual([
      { field: "password", message: "The password must be at least 12 characters long." },
    ]);
  });

  test("uses the given field name and a message for each reason", () => {
    const cases: [string, string, RegExp][] = [
      ["a".repeat(129), EMAIL, /at most 128 characters/],
      ["qwerty123456", EMAIL, /too common/],
      ["grace.hopper@example.com", "grace.hopper@example.com", /same as the email/],
    ];
    for (const [password, email, message] of cases) {
      const error = thrown(() => assertPasswordPolicy(password, email, "newPassword")) as ValidationError;
      expect(error.code).toBe("WEAK_PASSWORD");
      expect(error.message).toMatch(message);
      expect(error.errors).toEqual([{ field: "newPassword", message: error.message }]);
    }
  });
});

describe("the shipped common-password list", () => {
  test("is non-empty, sorted, lower-case, unique and has no entry under the minimum length", () => {
    expect(entries.length).toBeGreaterThan(0);
    expect(entries).toEqual([...entries].sort());
    expect(new Set(entries).size).toBe(entries.length);
    for (const entry of entries) {
      expect(entry).toBe(entry.toLowerCase());
      expect(entry).toBe(entry.trim());
      expect([...entry].length).toBeGreaterThanOrEqual(PASSWORD_MIN_LENGTH);
    }
  });

  test("every entry is refused as common", () => {
    for (const entry of entries) expect(passwordProblem(entry, EMAIL)).toBe("common");
  });
});
