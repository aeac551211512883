import { treaty } from "@elysiajs/eden";
import type { Static } from "elysia";
import type { App } from "../../src/http/app";
import type { ProblemSchema } from "../../src/http/schemas";

/**
 * The app through its Eden Treaty client, by app.handle (no network): request bodies and response
 * shapes are the routes' own types, so a changed contract breaks the typecheck. Dates stay ISO strings,
 * as the JSON carries them.
 */
export function typedClient(app: App, token?: string, headers: Record<string, string> = {}) {
  return treaty<App>(app, {
    parseDate: false,
    headers: token ? { ...headers, authorization: `Bearer ${token}` } : headers,
  });
}

export type TypedClient = ReturnType<typeof typedClient>;
type Problem = Static<typeof ProblemSchema>;

/**
 * The problem+json body of a refused typed call. Every refusal of this app is a problem (Elysia's own
 * validation shape, which the client's types also list, is answered as one too).
 */
export function problemOf(result: { error: { value: unknown } | null }): Problem | null {
  return (result.error?.value as Problem | undefined) ?? null;
}

/** The typed client's /api/v1, for naming a route's body type: `Parameters<TypedApi["features"]["post"]>[0]`. */
export type TypedApi = TypedClient["api"]["v1"];
