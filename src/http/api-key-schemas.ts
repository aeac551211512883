import { Elysia, t } from "elysia";
import { API_KEY_KINDS, type ApiKeyKind } from "../core/domain/api-key";
import { PERMISSIONS, type Permission } from "../core/domain/permissions";
import { IsoDateTime } from "./schemas";

const Kind = t.UnionEnum(API_KEY_KINDS as unknown as [ApiKeyKind, ...ApiKeyKind[]], {
  description:
    "api: the REST API (sk_); client: Unleash server-side SDKs (ck_); frontend: Unleash browser SDKs (fk_)",
});
const PermissionName = t.UnionEnum(PERMISSIONS as [Permission, ...Permission[]]);
const Origin = t.String({ minLength: 1, maxLength: 255, description: "scheme://host[:port]" });

export const CreateApiKeyRequestSchema = t.Object(
  {
    name: t.String({ minLength: 1, maxLength: 100 }),
    kind: t.Optional(Kind),
    permissions: t.Optional(
      t.Array(PermissionName, {
        maxItems: PERMISSIONS.length,
        description: "api keys only; at most what you hold",
      }),
    ),
    expiresAt: t.Optional(t.Union([IsoDateTime, t.Null()], { description: "never, when absent or null" })),
    allowedOrigins: t.Optional(
      t.Array(Origin, { maxItems: 20, description: "frontend keys only: the browser origins allowed" }),
    ),
  },
  { additionalProperties: false },
);

export const ApiKeySchema = t.Object(
  {
    id: t.String({ format: "uuid" }),
    name: t.String(),
    kind: Kind,
    prefix: t.String({ description: "the kind prefix and first characters of the secret" }),
    permissions: t.Array(t.String()),
    allowedOrigins: t.Array(t.String()),
    createdBy: t.Object(
      { type: t.Union([t.Literal("user"), t.Literal("cli")]), id: t.String() },
      { additionalProperties: false },
    ),
    createdAt: IsoDateTime,
    expiresAt: t.Union([IsoDateTime, t.Null()]),
    lastUsedAt: t.Union([IsoDateTime, t.Null()], { description: "updated at most once a minute" }),
  },
  { additionalProperties: false },
);

export const CreatedApiKeySchema = t.Object(
  {
    key: ApiKeySchema,
    secret: t.String({ description: "shown only in this response; store it now" }),
  },
  { additionalProperties: false },
);

export const ApiKeyListSchema = t.Object(
  { items: t.Array(ApiKeySchema), nextCursor: t.Union([t.String(), t.Null()]) },
  { additionalProperties: false },
);

export const ApiKeyIdParams = t.Object({ id: t.String({ format: "uuid" }) });

export const apiKeyModels = new Elysia({ name: "api-key-models" }).model({
  ApiKey: ApiKeySchema,
  CreatedApiKey: CreatedApiKeySchema,
  ApiKeyList: ApiKeyListSchema,
  CreateApiKeyRequest: CreateApiKeyRequestSchema,
});
