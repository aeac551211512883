/**
 * Authentication for the Unleash-compatible APIs, by the `client` and `frontend` keys of
 * POST /api/v1/api-keys. Contract:
 *
 * - A route says `unleashKey: "client"` (server-side SDKs: /api/client/...) or
 *   `unleashKey: "frontend"` (browser SDKs: /api/frontend/...). It then receives:
 *   `apiKey` (the key's cached state: id, tenantId, kind, prefix, allowedOrigins, ...),
 *   `tenant` (the key's tenant, active) and `acting` (principal: the key; home and tenant: its
 *   tenant), so whatever the route writes is audited as the key (`{type: "api_key", id}`).
 * - The key is read from `Authorization: <token>` (the bare token, as Unleash SDKs send it) or
 *   `Authorization: Bearer <token>`.
 * - Missing, malformed, unknown, revoked or expired keys, keys of a tenant that is not active and
 *   keys whose creator is gone: 401 INVALID_API_KEY (one answer for all). A live key of another
 *   kind (an `sk_` or `fk_` key on the client API, a `ck_` key on the frontend API): 403
 *   API_KEY_KIND. Past its rate limit (api and client keys, RATE_LIMIT_API_KEY_LIMIT a minute): 429.
 * - The tenant is the key's; X-Tenant and the host's subdomain are not consulted.
 * - A warm request reads no database (the key's state, tenant and creator come from the cache).
 * - The macro adds nothing to our OpenAPI document: the Unleash routes are Unleash's API, hidden there.
 */
import { Elysia } from "elysia";
import type { Acting, TenantRef } from "../../core/domain/acting";
import type { ApiKeyKind } from "../../core/domain/api-key";
import type { ApiKeyState } from "../../core/usecases/api-keys/api-key-state";
import { type AuthenticateApiKey, invalidApiKey } from "../../core/usecases/api-keys/authenticate-api-key";
import { wrongKeyKind } from "../../core/usecases/auth/authenticate";
import { requestOrigin } from "../request-state";

export interface UnleashKeyPluginDeps {
  authenticateApiKey: AuthenticateApiKey;
}

const TOKEN = /^(?:Bearer )?([a-z]{2}_[A-Za-z0-9_-]{1,200})$/i;

/** The key an Unleash SDK presents: the bare `Authorization` value, or a bearer token. */
export function unleashToken(header: string | null): string {
  const match = header?.trim().match(TOKEN);
  if (!match?.[1]) throw invalidApiKey();
  return match[1];
}

export interface UnleashCaller {
  apiKey: ApiKeyState;
  tenant: TenantRef;
  acting: Acting;
}

export function unleashKeyPlugin({ authenticateApiKey }: UnleashKeyPluginDeps) {
  /** The caller, when it holds a live key of `kind`. */
  async function callerOf(request: Request, kind: ApiKeyKind): Promise<UnleashCaller> {
    const origin = requestOrigin(request);
    const token = unleashToken(request.headers.get("authorization"));
    const { principal, key, tenant } = await authenticateApiKey(token, origin);
    if (key.kind !== kind) throw wrongKeyKind();
    return {
      apiKey: key,
      tenant,
      acting: { principal, home: tenant, tenant, origin },
    };
  }

  return new Elysia({ name: "unleash-key" }).macro({
    unleashKey: (kind: "client" | "frontend") => ({
      async resolve({ request }) {
        const caller = await callerOf(request, kind);
        return { apiKey: caller.apiKey, tenant: caller.tenant, acting: caller.acting };
      },
    }),
  });
}

export type UnleashKeyPlugin = ReturnType<typeof unleashKeyPlugin>;
