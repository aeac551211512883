import { describe, expect, test } from "bun:test";
import { holds } from "../../../src/http/routes/unleash-client-routes";

describe("If-None-Match on the client API", () => {
  const etag = '"0193a5b2-rev-7"';

  test("the tag the SDK was given, alone, in a list, weak or as *, means it holds the definitions", () => {
    expect(holds(etag, etag)).toBe(true);
    expect(holds(`"other", ${etag}`, etag)).toBe(true);
    expect(holds(`W/${etag}`, etag)).toBe(true);
    expect(holds("*", etag)).toBe(true);
  });

  test("no header, another tag, or the tag unquoted means it does not", () => {
    expect(holds(null, etag)).toBe(false);
    expect(holds("", etag)).toBe(false);
    expect(holds('"0193a5b2-rev-6"', etag)).toBe(false);
    expect(holds("0193a5b2-rev-7", etag)).toBe(false);
  });
});
