import { Elysia, t } from "elysia";
import { Integer, IsoDateTime, optionalChoice, PageQuery } from "./schemas";

const Text = (description: string) => t.Optional(t.String({ minLength: 1, maxLength: 200, description }));
const NullableString = t.Union([t.String(), t.Null()]);
const Outcome = t.Union([t.Literal("success"), t.Literal("failure"), t.Literal("denied")]);
const TenantIdQuery = t.Optional(
  t.String({ format: "uuid", description: "another tenant's log (platform:audit); your own by default" }),
);

export const AuditEventSchema = t.Object({
  id: t.String({ format: "uuid" }),
  tenantId: t.String({ format: "uuid" }),
  seq: Integer({ description: "position in the tenant's chain, from 1 without gaps" }),
  actor: t.Object({
    type: t.Union([t.Literal("user"), t.Literal("cli"), t.Literal("system"), t.Literal("api_key")]),
    id: NullableString,
    display: NullableString,
  }),
  action: t.String(),
  resource: t.Object({ type: t.String(), id: NullableString }),
  outcome: Outcome,
  ip: NullableString,
  userAgent: NullableString,
  requestId: NullableString,
  metadata: t.Record(t.String(), t.Unknown()),
  createdAt: IsoDateTime,
  prevHash: t.String({ description: "hash of the event before it in the chain" }),
  hash: t.String({ description: "SHA-256(prevHash || canonical JSON of the event), hex" }),
});

export const AuditEventListSchema = t.Object(
  { items: t.Array(AuditEventSchema), nextCursor: t.Union([t.String(), t.Null()]) },
  { additionalProperties: false },
);

export const AuditVerificationSchema = t.Object(
  {
    valid: t.Boolean(),
    checked: Integer({ description: "events found valid, from the start of the chain" }),
    firstInvalid: t.Optional(
      t.Object({
        seq: Integer(),
        id: t.Union([t.String({ format: "uuid" }), t.Null()]),
        reason: t.Union([
          t.Literal("sequence_gap"),
          t.Literal("broken_link"),
          t.Literal("hash_mismatch"),
          t.Literal("missing_tail"),
        ]),
      }),
    ),
  },
  { additionalProperties: false },
);

export const AuditLogQuery = t.Object({
  tenantId: TenantIdQuery,
  action: Text("exact action, or a prefix ending in .* (auth.*)"),
  actorId: Text("the actor's id: a user id, or an operator name for the CLI"),
  resourceType: Text("user, tenant, session, role, endpoint, audit_log, ..."),
  resourceId: Text("the resource's id"),
  outcome: optionalChoice(["success", "failure", "denied"]),
  from: t.Optional(t.String({ format: "date-time", description: "events at or after this instant" })),
  to: t.Optional(t.String({ format: "date-time", description: "events before this instant" })),
  ...PageQuery,
});

export const AuditExportQuery = t.Object({
  tenantId: TenantIdQuery,
  from: t.Optional(t.String({ format: "date-time", description: "events at or after this instant" })),
  to: t.Optional(t.String({ format: "date-time", description: "events before this instant" })),
});

export const AuditVerifyQuery = t.Object({ tenantId: TenantIdQuery });

export const auditModels = new Elysia({ name: "audit-models" }).model({
  AuditEvent: AuditEventSchema,
  AuditEventList: AuditEventListSchema,
  AuditVerification: AuditVerificationSchema,
});
