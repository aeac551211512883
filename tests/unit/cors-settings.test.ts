import { describe, expect, test } from "bun:test";
import { loadConfig } from "../../src/config";
import { originOf, parseCorsOrigins } from "../../src/config/cors-settings";

describe("CORS_ORIGINS", () => {
  test("is empty by default: no other origin may call", () => {
    expect(loadConfig({}).http.corsOrigins).toEqual([]);
  });

  test("lists exact origins, comma separated, as browsers spell them in Origin", () => {
    expect(
      loadConfig({ CORS_ORIGINS: " https://App.Example.com , http://localhost:3000,https://a.example:443" })
        .http.corsOrigins,
    ).toEqual(["https://app.example.com", "http://localhost:3000", "https://a.example"]);
  });

  test("a repeated origin is kept once", () => {
    expect(parseCorsOrigins("https://a.example,https://A.example")).toEqual(["https://a.example"]);
  });

  test.each([
    "*",
    "null",
    "app.example.com",
    "https://app.example.com/",
    "https://app.example.com/app",
    "https://app.example.com?x=1",
    "https://app.example.com#top",
    "https://user:pass@app.example.com",
    "ftp://app.example.com",
    "https://*.example.com",
    "https://",
  ])("refuses %p with a line naming the variable", (entry) => {
    expect(() => loadConfig({ CORS_ORIGINS: `https://ok.example,${entry}` })).toThrow(
      `Invalid configuration: CORS_ORIGINS must list origins such as https://app.example.com or http://localhost:3000, with no path (got ${JSON.stringify(entry)}).`,
    );
  });

  test("originOf gives null for what is not an origin", () => {
    expect(originOf("http://[::1]:8080")).toBe("http://[::1]:8080");
    expect(originOf("javascript:alert(1)")).toBeNull();
  });
});
