import { describe, expect, test } from "bun:test";
import { t } from "elysia";
import { correctOpenApiDocument, operationIdOf } from "../../src/http/openapi-corrections";

const problem = { content: { "application/json": { schema: { $ref: "#/components/schemas/Problem" } } } };

describe("openapi corrections", () => {
  test("operationIds are camelCase from the method and the path after /api/v1", () => {
    expect(operationIdOf("post", "/api/v1/auth/forgot-password")).toBe("postAuthForgotPassword");
    expect(operationIdOf("delete", "/api/v1/users/{id}/sessions/{sessionId}")).toBe(
      "deleteUsersByIdSessionsBySessionId",
    );
    expect(operationIdOf("get", "/health/ready")).toBe("getHealthReady");
  });

  test("two operations that would share an operationId are refused", () => {
    const paths = { "/a-b": { get: {} }, "/a/b": { get: {} } };
    expect(() => correctOpenApiDocument({ paths }, [])).toThrow("operationId getAB");
  });

  test("a body-less response loses its content, a problem is problem+json, contentMediaType names the type", () => {
    const paths = {
      "/x": {
        post: {
          responses: {
            "204": { description: "gone", content: { type: "void" } },
            "404": problem,
            "200": {
              content: { "text/plain": { schema: { type: "string", contentMediaType: "text/csv" } } },
            },
          },
        },
      },
    };
    const { responses } = correctOpenApiDocument({ paths }, []).paths["/x"]!.post!;
    expect(responses).toEqual({
      "204": { description: "gone" },
      "404": {
        content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
      },
      "200": { content: { "text/csv": { schema: { type: "string", contentMediaType: "text/csv" } } } },
    });
  });

  test("an optional body is not required and is listed as JSON; the source is left as it was", () => {
    const source = { paths: { "/x/{id}": { post: { requestBody: { required: true, content: {} } } } } };
    const before = structuredClone(source);
    const body = t.Optional(t.Object({ reason: t.String() }));
    const corrected = correctOpenApiDocument(source, [{ method: "POST", path: "/x/:id", hooks: { body } }]);
    expect(corrected.paths["/x/{id}"]!.post!.requestBody).toEqual({
      required: false,
      content: {
        "application/json": {
          schema: { type: "object", required: ["reason"], properties: { reason: { type: "string" } } },
        },
      },
    });
    expect(source).toEqual(before);
  });

  test("operations say their security, and a query integer is the integer it decodes to", () => {
    const limit = { type: "integer", minimum: 1 };
    const paths = {
      "/open": {
        get: {
          parameters: [
            { name: "limit", in: "query", schema: { anyOf: [{ type: "string", format: "integer" }, limit] } },
          ],
        },
      },
      "/closed": { get: { security: [{ bearerAuth: [] }] } },
    };
    const corrected = correctOpenApiDocument({ paths }, []).paths;
    expect(corrected["/open"]!.get).toMatchObject({ security: [], parameters: [{ schema: limit }] });
    expect(corrected["/closed"]!.get!.security).toEqual([{ bearerAuth: [] }]);
  });

  test("a model met inside another schema is referenced, and components lose Elysia's $id", () => {
    const user = { $id: "#/components/schemas/User", type: "object" };
    const document = {
      paths: {
        "/me": { get: { responses: { "200": { content: { "application/json": { schema: user } } } } } },
      },
      components: {
        schemas: {
          User: user,
          UserList: { type: "array", items: user, $id: "#/components/schemas/UserList" },
        },
      },
    };
    const corrected = correctOpenApiDocument(document, []);
    expect(corrected.paths["/me"]!.get!.responses!["200"]!.content!["application/json"]!.schema).toEqual({
      $ref: "#/components/schemas/User",
    });
    expect(corrected.components).toEqual({
      schemas: {
        User: { type: "object" },
        UserList: { type: "array", items: { $ref: "#/components/schemas/User" } },
      },
    });
  });
});
