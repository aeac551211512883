import { treaty } from "@elysiajs/eden";
import type { App } from "../../src/http/app";

/**
 * The app through its Eden Treaty client, by app.handle (no network): request bodies and response
 * shapes are the routes' own types, so a changed contract breaks the typecheck. Dates stay ISO strings,
 * as the JSON carries them.
 */
export function typedClient(app: App, token?: string, headers: Record<string, string> = {}) {
  return treaty(app, {
    parseDate: false,
    headers: token ? { ...headers, authorization: `Bearer ${token}` } : headers,
  });
}

export type TypedClient = ReturnType<typeof typedClient>;
