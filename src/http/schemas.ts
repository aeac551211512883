import { type TLiteral, type TUnion, Type } from "@sinclair/typebox";
import { Elysia, t } from "elysia";
import { ROLES } from "../core/domain/roles";
import { SLUG_PATTERN, TENANT_STATUSES } from "../core/domain/tenant";

/**
 * An integer as JSON carries it. Elysia's t.Integer also accepts a numeric string (it is meant for
 * query strings) and documents itself as `string | integer`: bodies and responses use this one.
 */
export const Integer = Type.Integer;

export const ProblemSchema = t.Object(
  {
    type: t.String(),
    title: t.String(),
    status: Integer(),
    detail: t.String(),
    code: t.String({ description: "stable machine-readable error code" }),
    requestId: t.Optional(t.String()),
    errors: t.Optional(t.Array(t.Object({ field: t.String(), message: t.String() }))),
  },
  { description: "RFC 9457 problem details", additionalProperties: false },
);

export const Email = t.String({ format: "email", maxLength: 254 });
export const Slug = t.String({ pattern: SLUG_PATTERN.source, maxLength: 63 });
export const IsoDateTime = t.String({ format: "date-time" });

export const LoginRequestSchema = t.Object(
  {
    email: Email,
    password: t.String({ minLength: 1, maxLength: 256 }),
    tenant: t.Optional(Slug),
    session: t.Optional(
      t.Literal("cookie", {
        description:
          "for browser apps: the refresh token is set as an HttpOnly cookie (refresh_token, Path=/api/v1/auth) " +
          "instead of being returned in the body",
      }),
    ),
  },
  { additionalProperties: false },
);

export const EmailRequestSchema = t.Object(
  { email: Email, tenant: t.Optional(Slug) },
  { additionalProperties: false },
);
export const TokenRequestSchema = t.Object(
  { token: t.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);
export const ResetPasswordRequestSchema = t.Object(
  {
    token: t.String({ minLength: 1, maxLength: 256 }),
    newPassword: t.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export const EmailChangeRequestSchema = t.Object(
  {
    newEmail: Email,
    currentPassword: t.Optional(
      t.String({ minLength: 1, maxLength: 256, description: "required for your own address" }),
    ),
  },
  { additionalProperties: false },
);
export const AcceptedSchema = t.Object({ message: t.String() }, { additionalProperties: false });

export const RefreshRequestSchema = t.Object(
  { refreshToken: t.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);

export const ChangePasswordRequestSchema = t.Object(
  {
    currentPassword: t.Optional(
      t.String({ minLength: 1, maxLength: 256, description: "required for your own password" }),
    ),
    newPassword: t.String({
      minLength: 1,
      maxLength: 256,
      description: "12 to 128 characters, not a common password",
    }),
  },
  { additionalProperties: false },
);

export const SessionSchema = t.Object({
  id: t.String({ format: "uuid" }),
  createdAt: IsoDateTime,
  lastUsedAt: IsoDateTime,
  expiresAt: IsoDateTime,
  ip: t.Union([t.String(), t.Null()]),
  userAgent: t.Union([t.String(), t.Null()]),
  mfa: t.Boolean({ description: "the sign-in passed a second factor" }),
  current: t.Boolean({ description: "the session of the token making this request" }),
});

export const SessionListSchema = t.Object({ items: t.Array(SessionSchema) }, { additionalProperties: false });

export const UserIdParams = t.Object({ id: t.String({ format: "uuid" }) });
export const UserSessionParams = t.Object({
  id: t.String({ format: "uuid" }),
  sessionId: t.String({ format: "uuid" }),
});

const TenantName = t.String({ minLength: 1, maxLength: 200 });
const Plan = t.String({ minLength: 1, maxLength: 50, pattern: "^[a-z0-9][a-z0-9_-]*$" });
const Domain = t.Union([t.String({ minLength: 3, maxLength: 253, pattern: "^[a-z0-9.-]+$" }), t.Null()]);
const Settings = t.Record(t.String({ maxLength: 64 }), t.Unknown(), { maxProperties: 64 });
const TenantStatus = t.UnionEnum(TENANT_STATUSES);

export const TenantSchema = t.Object(
  {
    id: t.String({ format: "uuid" }),
    name: t.String(),
    slug: t.String(),
    domain: t.Union([t.String(), t.Null()]),
    plan: t.String(),
    status: TenantStatus,
    settings: t.Record(t.String(), t.Unknown()),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  },
  { additionalProperties: false },
);

export const TenantListSchema = t.Object(
  { items: t.Array(TenantSchema), nextCursor: t.Union([t.String(), t.Null()]) },
  { additionalProperties: false },
);

export const CreateTenantRequestSchema = t.Object(
  {
    name: TenantName,
    slug: t.String({ minLength: 1, maxLength: 63 }),
    plan: t.Optional(Plan),
    domain: t.Optional(Domain),
    settings: t.Optional(Settings),
  },
  { additionalProperties: false },
);

export const UpdateTenantRequestSchema = t.Object(
  {
    name: t.Optional(TenantName),
    plan: t.Optional(Plan),
    domain: t.Optional(Domain),
    settings: t.Optional(Settings),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const StatusChangeRequestSchema = t.Object(
  { reason: t.Optional(t.String({ minLength: 1, maxLength: 500 })) },
  { additionalProperties: false },
);

/**
 * An optional query parameter limited to `values`. Not t.UnionEnum: in a query Elysia fills an
 * absent UnionEnum with its first value, which would silently filter every list by it.
 */
export const optionalChoice = <const T extends string>(values: readonly T[]) =>
  t.Optional(t.Union(values.map((value) => t.Literal(value))));

export const PageQuery = {
  limit: t.Optional(
    t.Integer({ minimum: 1, maximum: 200, default: undefined, description: "page size, 50 by default" }),
  ),
  cursor: t.Optional(t.String({ maxLength: 200, description: "nextCursor of the previous page" })),
};

export const TenantIdParams = t.Object({ id: t.String({ format: "uuid" }) });

type LiteralTuple<T extends readonly string[]> = T extends readonly [
  infer Head extends string,
  ...infer Rest extends readonly string[],
]
  ? [TLiteral<Head>, ...LiteralTuple<Rest>]
  : [];

/** A union of the literals `values`, typed as their tuple: the typed client reads no array of literals. */
const literals = <const T extends readonly string[]>(values: T): TUnion<LiteralTuple<T>> =>
  t.Union(values.map((value) => t.Literal(value))) as TUnion<LiteralTuple<T>>;

// Literals, not t.UnionEnum: Elysia fills an absent optional UnionEnum field with its first value.
const RoleName = literals(ROLES);
const PersonName = t.Union([t.String({ minLength: 1, maxLength: 100 }), t.Null()]);

export const CreateUserRequestSchema = t.Object(
  {
    email: Email,
    role: t.Optional(RoleName),
    password: t.Optional(
      t.String({ minLength: 1, maxLength: 256, description: "omit to send an invitation instead" }),
    ),
    firstName: t.Optional(PersonName),
    lastName: t.Optional(PersonName),
  },
  { additionalProperties: false },
);

export const UpdateUserRequestSchema = t.Object(
  {
    firstName: t.Optional(PersonName),
    lastName: t.Optional(PersonName),
    role: t.Optional(RoleName),
    isActive: t.Optional(t.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const TokenPairSchema = t.Object(
  {
    accessToken: t.String(),
    refreshToken: t.Optional(
      t.String({ description: "absent when the refresh token was set as the session cookie instead" }),
    ),
    tokenType: t.Literal("Bearer"),
    expiresIn: Integer({ description: "access token lifetime in seconds" }),
    mfaEnrollmentRequired: t.Optional(
      t.Literal(true, {
        description: "the tenant requires a second factor you lack: this session may only enrol one",
      }),
    ),
  },
  { additionalProperties: false },
);

export const UserSchema = t.Object(
  {
    id: t.String({ format: "uuid" }),
    tenantId: t.String({ format: "uuid" }),
    email: t.String(),
    firstName: t.Union([t.String(), t.Null()]),
    lastName: t.Union([t.String(), t.Null()]),
    role: t.UnionEnum(ROLES),
    isActive: t.Boolean(),
    emailVerified: t.Boolean(),
    lastLoginAt: t.Union([IsoDateTime, t.Null()]),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  },
  { additionalProperties: false },
);

/**
 * The shared models, registered by name: routes refer to them as strings, and the OpenAPI document
 * lists them once under components.schemas.
 */
export const models = new Elysia({ name: "models" }).model({
  Problem: ProblemSchema,
  LoginRequest: LoginRequestSchema,
  TokenPair: TokenPairSchema,
  Tenant: TenantSchema,
  UserList: t.Object(
    { items: t.Array(UserSchema), nextCursor: t.Union([t.String(), t.Null()]) },
    { additionalProperties: false },
  ),
  CreateUserRequest: CreateUserRequestSchema,
  UpdateUserRequest: UpdateUserRequestSchema,
  TenantList: TenantListSchema,
  CreateTenantRequest: CreateTenantRequestSchema,
  UpdateTenantRequest: UpdateTenantRequestSchema,
  StatusChangeRequest: StatusChangeRequestSchema,
  RefreshRequest: RefreshRequestSchema,
  EmailRequest: EmailRequestSchema,
  TokenRequest: TokenRequestSchema,
  ResetPasswordRequest: ResetPasswordRequestSchema,
  EmailChangeRequest: EmailChangeRequestSchema,
  Accepted: AcceptedSchema,
  ChangePasswordRequest: ChangePasswordRequestSchema,
  SessionList: SessionListSchema,
  User: UserSchema,
});

/** Problem responses an endpoint may give, for the OpenAPI document and the typed client's errors. */
export const problems = <const Status extends number>(...statuses: Status[]) =>
  Object.fromEntries(statuses.map((status) => [status, "Problem" as const])) as Record<Status, "Problem">;
