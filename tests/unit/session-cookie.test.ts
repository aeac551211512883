import { describe, expect, test } from "bun:test";
import { CSRF_HEADER, hasCsrfProof } from "../../src/http/csrf-proof";
import { makeSessionCookies, needsSecureCookie, sessionCookieOf } from "../../src/http/session-cookie";

const withCookie = (cookie: string) => new Request("http://localhost/", { headers: { cookie } });

describe("the session cookie's Secure attribute", () => {
  test.each([
    ["https://api.example.com", true],
    ["http://api.example.com", true],
    ["https://localhost:8443", true],
    ["http://localhost:8080", false],
    ["http://api.localhost", false],
    ["http://127.0.0.1:8080", false],
    ["http://[::1]:8080", false],
    ["http://localhost.example.com", true],
  ])("PUBLIC_URL %s -> Secure %p", (publicUrl, secure) => {
    expect(needsSecureCookie(publicUrl)).toBe(secure);
  });

  test("is on the cookie set and on the one cleared", () => {
    const cookies = makeSessionCookies({
      publicUrl: "https://api.example.com",
      corsOrigins: [],
      maxAgeSeconds: 60,
    });
    const set = { headers: {} as Record<string, unknown> };
    const body = cookies.deliver(
      { accessToken: "a", refreshToken: "r", tokenType: "Bearer", expiresIn: 900 },
      set,
    );
    expect(body).toEqual({ accessToken: "a", tokenType: "Bearer", expiresIn: 900 });
    expect(set.headers["set-cookie"]).toBe(
      "refresh_token=r; Path=/api/v1/auth; Max-Age=60; HttpOnly; Secure; SameSite=Lax",
    );
    cookies.clear(set);
    expect(set.headers["set-cookie"]).toBe(
      "refresh_token=; Path=/api/v1/auth; Max-Age=0; HttpOnly; Secure; SameSite=Lax",
    );
  });
});

describe("reading the cookie", () => {
  test("finds it among others, and null without it", () => {
    expect(sessionCookieOf(withCookie("theme=dark; refresh_token=abc_DEF-123; lang=en"))).toBe("abc_DEF-123");
    expect(sessionCookieOf(withCookie("theme=dark; xrefresh_token=abc"))).toBeNull();
    expect(sessionCookieOf(new Request("http://localhost/"))).toBeNull();
  });

  test("two of them, or one that is no token of ours, is refused", () => {
    expect(() => sessionCookieOf(withCookie("refresh_token=a; refresh_token=b"))).toThrow("not valid");
    expect(() => sessionCookieOf(withCookie('refresh_token="a b"'))).toThrow("not valid");
    expect(() => sessionCookieOf(withCookie("refresh_token="))).toThrow("not valid");
  });
});

describe("the CSRF proof", () => {
  const trusted = new Set(["https://app.example.com"]);
  const headers = (fields: Record<string, string>) => new Headers(fields);

  test("needs both a trusted Origin and the custom header", () => {
    expect(
      hasCsrfProof(headers({ origin: "https://app.example.com", [CSRF_HEADER]: "fetch" }), trusted),
    ).toBe(true);
    expect(hasCsrfProof(headers({ origin: "https://app.example.com" }), trusted)).toBe(false);
    expect(hasCsrfProof(headers({ [CSRF_HEADER]: "fetch" }), trusted)).toBe(false);
    expect(hasCsrfProof(headers({ origin: "https://evil.example", [CSRF_HEADER]: "fetch" }), trusted)).toBe(
      false,
    );
  });

  test("trusts the API's own origin beside CORS_ORIGINS", () => {
    const cookies = makeSessionCookies({
      publicUrl: "https://api.example.com/base",
      corsOrigins: ["https://app.example.com"],
      maxAgeSeconds: 60,
    });
    const request = (origin: string) =>
      new Request("https://api.example.com/api/v1/auth/refresh", {
        headers: { origin, [CSRF_HEADER]: "fetch", cookie: "refresh_token=abc" },
      });
    expect(cookies.presented(request("https://api.example.com"))).toBe("abc");
    expect(cookies.presented(request("https://app.example.com"))).toBe("abc");
    expect(() => cookies.presented(request("https://other.example.com"))).toThrow(
      expect.objectContaining({ code: "CSRF_REJECTED" }),
    );
  });
});
