import { Elysia, t } from "elysia";
import { pageRequest } from "../../core/domain/pagination";
import type { AuthenticateApiKey } from "../../core/usecases/api-keys/authenticate-api-key";
import type { CreateApiKey } from "../../core/usecases/api-keys/create-api-key";
import type { ListApiKeys } from "../../core/usecases/api-keys/list-api-keys";
import type { RevokeApiKey } from "../../core/usecases/api-keys/revoke-api-key";
import { presentApiKey } from "../api-key-presenter";
import { ApiKeyIdParams, apiKeyModels } from "../api-key-schemas";
import type { AuthPlugin } from "../plugins/auth";
import { models, PageQuery, problems } from "../schemas";

export interface ApiKeyUseCases {
  createApiKey: CreateApiKey;
  listApiKeys: ListApiKeys;
  revokeApiKey: RevokeApiKey;
  /** For the Unleash APIs' `unleashKey` macro (plugins/unleash-key.ts). */
  authenticateApiKey: AuthenticateApiKey;
}

export interface ApiKeysRoutesDeps extends Omit<ApiKeyUseCases, "authenticateApiKey"> {
  auth: AuthPlugin;
}

/** The tenant's API keys: created by a person (the secret shown once), listed and revoked with api_keys:manage. */
export function apiKeysRoutes({ auth, createApiKey, listApiKeys, revokeApiKey }: ApiKeysRoutesDeps) {
  return new Elysia({ prefix: "/api/v1/api-keys", tags: ["api-keys"] })
    .use(models)
    .use(apiKeyModels)
    .use(auth)
    .post(
      "",
      async ({ acting, body, status }) => {
        const { key, secret } = await createApiKey(acting, {
          name: body.name,
          kind: body.kind ?? "api",
          permissions: body.permissions,
          expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
          allowedOrigins: body.allowedOrigins,
        });
        return status(201, { key: presentApiKey(key), secret });
      },
      {
        person: true,
        parse: "json",
        body: "CreateApiKeyRequest",
        response: { 201: "CreatedApiKey", ...problems(400, 401, 403, 413, 415, 422) },
        detail: {
          summary: "Create an API key (the secret is returned once)",
          description:
            "api_keys:manage, as a person (a key cannot create keys), in your own tenant. An api key's " +
            "permissions must be ones you hold (else 422 PERMISSION_NOT_HELD); at every use the key holds " +
            "only those its creator's current role still grants. client and frontend keys hold none; " +
            "allowedOrigins are for frontend keys only.",
        },
      },
    )
    .get(
      "",
      async ({ acting, query }) => {
        const page = await listApiKeys(acting, pageRequest(query.limit, query.cursor));
        return { items: page.items.map(presentApiKey), nextCursor: page.nextCursor };
      },
      {
        permission: "api_keys:manage",
        query: t.Object(PageQuery),
        response: { 200: "ApiKeyList", ...problems(401, 403, 422) },
        detail: { summary: "List the tenant's live API keys (never their secrets)" },
      },
    )
    .delete(
      "/:id",
      async ({ acting, params, status }) => {
        await revokeApiKey(acting, params.id);
        return status(204, undefined);
      },
      {
        permission: "api_keys:manage",
        params: ApiKeyIdParams,
        response: { 204: t.Void(), ...problems(401, 403, 404, 422) },
        detail: { summary: "Revoke an API key; every instance refuses it from its next request" },
      },
    );
}
