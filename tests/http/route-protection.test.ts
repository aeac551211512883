import { beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, testApp } from "../support/app";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});

interface Operation {
  method: string;
  path: string;
  hasBody: boolean;
}

/** Every operation the OpenAPI document marks as needing a bearer token. */
async function protectedOperations(): Promise<Operation[]> {
  const spec = (await t.call("GET", "/openapi.json")).body;
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries<
    Record<string, { security?: unknown[]; requestBody?: unknown }>
  >(spec.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (operation.security?.length) {
        operations.push({
          method: method.toUpperCase(),
          path: path.replace(/\{[^}]+\}/g, "01950000-0000-7000-8000-000000000000"),
          hasBody: Boolean(operation.requestBody),
        });
      }
    }
  }
  return operations;
}

describe("every bearer-protected route", () => {
  test("refuses anonymous and forged requests before doing anything", async () => {
    const operations = await protectedOperations();
    expect(operations.length).toBeGreaterThanOrEqual(5);
    const forged = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${Buffer.from("{}").toString("base64url")}.x`;
    for (const op of operations) {
      for (const token of [undefined, forged, "a.b.c"]) {
        const res = await t.call(op.method, op.path, { token, ...(op.hasBody ? { body: {} } : {}) });
        // A route with a body checks its shape first (the shape is public in the OpenAPI document).
        const allowed = op.hasBody ? [401, 422] : [401];
        expect({ route: `${op.method} ${op.path}`, status: res.status }).toEqual({
          route: `${op.method} ${op.path}`,
          status: allowed.includes(res.status) ? res.status : 401,
        });
      }
    }
  });
});
