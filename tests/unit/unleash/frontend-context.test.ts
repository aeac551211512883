import { describe, expect, test } from "bun:test";
import { ValidationError } from "../../../src/core/domain/errors";
import { CONTEXT_LIMITS } from "../../../src/core/domain/flags/limits";
import { contextFromBody, contextFromQuery } from "../../../src/http/unleash/frontend-context";

describe("the frontend API's context", () => {
  test("query parameters as unleash-proxy-client sends them: standard fields and properties[x]", () => {
    const params = new URLSearchParams(
      "appName=web&environment=default&userId=u1&sessionId=s1&remoteAddress=10.0.0.1&currentTime=2026-12-03T10:00:00.000Z&properties%5Bplan%5D=pro&properties%5Bcountry%5D=NO",
    );
    expect(contextFromQuery(params)).toEqual({
      appName: "web",
      environment: "default",
      userId: "u1",
      sessionId: "s1",
      remoteAddress: "10.0.0.1",
      currentTime: "2026-12-03T10:00:00.000Z",
      properties: { plan: "pro", country: "NO" },
    });
  });

  test("an unknown top-level name is a property, as Unleash reads it", () => {
    expect(contextFromQuery(new URLSearchParams("userId=u1&beta=yes"))).toEqual({
      userId: "u1",
      properties: { beta: "yes" },
    });
  });

  test("a POST body's context, with null properties meaning absent", () => {
    expect(
      contextFromBody({ context: { userId: "u2", properties: { plan: "free", gone: null }, tier: "gold" } }),
    ).toEqual({ userId: "u2", properties: { tier: "gold", plan: "free" } });
    expect(contextFromBody({})).toEqual({});
  });

  test("the tenant cannot be forged: tenantId, plan and role land in properties, never in the fields the server sets", () => {
    const context = contextFromQuery(new URLSearchParams("tenantId=other&plan=enterprise&role=admin"));
    expect(context).toEqual({ properties: { tenantId: "other", plan: "enterprise", role: "admin" } });
  });

  test("oversized or malformed contexts are refused with INVALID_CONTEXT", () => {
    const tooMany = new URLSearchParams();
    for (let i = 0; i <= CONTEXT_LIMITS.properties; i++) tooMany.append(`properties[p${i}]`, "x");
    const cases: (() => unknown)[] = [
      () => contextFromQuery(tooMany),
      () => contextFromQuery(new URLSearchParams({ userId: "u".repeat(CONTEXT_LIMITS.fieldLength + 1) })),
      () => contextFromQuery(new URLSearchParams({ currentTime: "yesterday" })),
      () =>
        contextFromQuery(
          new URLSearchParams({ "properties[x]": "v".repeat(CONTEXT_LIMITS.propertyValueLength + 1) }),
        ),
      () => contextFromBody({ context: "text" }),
      () => contextFromBody({ context: { userId: 7 } }),
      () => contextFromBody({ context: { properties: [] } }),
    ];
    for (const run of cases) {
      expect(run).toThrow(ValidationError);
      try {
        run();
      } catch (error) {
        expect((error as ValidationError).code).toBe("INVALID_CONTEXT");
      }
    }
  });
});
