import { Elysia, t } from "elysia";
import { CONTEXT_LIMITS, FLAG_LIMITS } from "../core/domain/flags/limits";
import { Integer, IsoDateTime, PageQuery } from "./schemas";

/*
 * Shapes of Unleash's client API (our `key` is its `name`). Operators and strategy names are plain
 * strings here: the domain names what is wrong with them (422 INVALID_FLAG with field errors).
 */

const FlagKey = t.String({ pattern: "^[a-zA-Z0-9_.-]{1,100}$", maxLength: 100 });
const ContextName = t.String({ minLength: 1, maxLength: 100 });
const ContextField = t.String({ maxLength: CONTEXT_LIMITS.fieldLength });
const ShortText = t.String({ maxLength: FLAG_LIMITS.valueLength });
const ValueType = t.Union(
  [t.Literal("boolean"), t.Literal("string"), t.Literal("number"), t.Literal("json")],
  {
    description: "the type of the variants' payloads",
  },
);

const Constraint = t.Object(
  {
    contextName: ContextName,
    operator: t.String({ minLength: 1, maxLength: 32 }),
    values: t.Optional(t.Array(ShortText, { maxItems: FLAG_LIMITS.valuesPerConstraint })),
    value: t.Optional(ShortText),
    inverted: t.Optional(t.Boolean()),
    caseInsensitive: t.Optional(t.Boolean()),
  },
  { additionalProperties: false },
);

const Variant = t.Object(
  {
    name: t.String({ minLength: 1, maxLength: 100 }),
    weight: Integer({ minimum: 0, maximum: 1000 }),
    stickiness: t.Optional(t.String({ minLength: 1, maxLength: 100 })),
    payload: t.Optional(
      t.Object(
        {
          type: t.String({
            pattern: "^(string|json|csv|number)$",
            description: "string, json, csv or number",
          }),
          value: t.String({ maxLength: 10_000 }),
        },
        { additionalProperties: false },
      ),
    ),
    overrides: t.Optional(
      t.Array(
        t.Object(
          {
            contextName: ContextName,
            values: t.Array(ShortText, { maxItems: FLAG_LIMITS.valuesPerConstraint }),
          },
          { additionalProperties: false },
        ),
        { maxItems: FLAG_LIMITS.overridesPerVariant },
      ),
    ),
  },
  { additionalProperties: false },
);

const Strategy = t.Object(
  {
    name: t.String({ minLength: 1, maxLength: 100 }),
    parameters: t.Optional(
      t.Record(t.String({ maxLength: 100 }), t.Union([t.String({ maxLength: 10_000 }), t.Number()]), {
        maxProperties: 20,
      }),
    ),
    constraints: t.Optional(t.Array(Constraint, { maxItems: FLAG_LIMITS.constraintsPerStrategy })),
    variants: t.Optional(t.Array(Variant, { maxItems: FLAG_LIMITS.variants })),
    segments: t.Optional(
      t.Array(t.Union([t.String({ maxLength: 100 }), Integer()]), {
        maxItems: FLAG_LIMITS.segmentsPerStrategy,
      }),
    ),
  },
  { additionalProperties: false },
);

const Dependency = t.Object(
  {
    feature: FlagKey,
    enabled: t.Optional(t.Boolean()),
    variants: t.Optional(t.Array(t.String({ maxLength: 100 }), { maxItems: FLAG_LIMITS.variants })),
  },
  { additionalProperties: false },
);

const Definition = {
  name: t.Optional(t.String({ minLength: 1, maxLength: 200 })),
  description: t.Optional(t.Union([t.String({ maxLength: 2_000 }), t.Null()])),
  type: t.Optional(ValueType),
  enabled: t.Optional(t.Boolean()),
  strategies: t.Optional(t.Array(Strategy, { maxItems: FLAG_LIMITS.strategiesPerFlag })),
  variants: t.Optional(t.Array(Variant, { maxItems: FLAG_LIMITS.variants })),
  dependencies: t.Optional(t.Array(Dependency, { maxItems: FLAG_LIMITS.dependencies })),
};

export const CreateFlagRequestSchema = t.Object(
  {
    key: FlagKey,
    platform: t.Optional(
      t.Boolean({ description: "a platform-wide flag for every tenant without its own (platform:flags)" }),
    ),
    ...Definition,
  },
  { additionalProperties: false },
);

export const UpdateFlagRequestSchema = t.Object(Definition, {
  additionalProperties: false,
  minProperties: 1,
  description: "The fields to change; absent fields keep their values. The key and scope never change.",
});

export const FlagSchema = t.Object(
  {
    id: t.String({ format: "uuid" }),
    key: t.String(),
    scope: t.Union([t.Literal("tenant"), t.Literal("platform")]),
    name: t.String(),
    description: t.Union([t.String(), t.Null()]),
    type: ValueType,
    enabled: t.Boolean(),
    strategies: t.Array(Strategy),
    variants: t.Array(Variant),
    dependencies: t.Array(Dependency),
    version: Integer({ description: "counts the flag's changes, from 1" }),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  },
  { additionalProperties: false },
);

export const EvaluateFlagsRequestSchema = t.Object(
  {
    key: t.Optional(FlagKey),
    keys: t.Optional(t.Array(FlagKey, { maxItems: 200 })),
    context: t.Optional(
      t.Object(
        {
          userId: t.Optional(ContextField),
          sessionId: t.Optional(ContextField),
          remoteAddress: t.Optional(t.String({ maxLength: 64 })),
          environment: t.Optional(ContextField),
          appName: t.Optional(ContextField),
          currentTime: t.Optional(IsoDateTime),
          properties: t.Optional(
            t.Record(
              // A Record's key schema is a pattern: nothing else of it is checked.
              t.String({ pattern: `^[\\s\\S]{1,${CONTEXT_LIMITS.propertyNameLength}}$` }),
              t.Union([t.String({ maxLength: CONTEXT_LIMITS.propertyValueLength }), t.Null()]),
              {
                maxProperties: CONTEXT_LIMITS.properties,
                additionalProperties: false,
                description: "null is the same as absent (Unleash SDKs send it for a property they lack)",
              },
            ),
          ),
        },
        {
          additionalProperties: false,
          description:
            "Added to the caller's own context; tenantId, tenantSlug, plan and role are always the caller's.",
        },
      ),
    ),
  },
  { additionalProperties: false },
);

export const FlagEvaluationSchema = t.Object({
  key: t.String(),
  enabled: t.Boolean(),
  variant: t.Object({
    name: t.String(),
    enabled: t.Boolean(),
    payload: t.Optional(t.Object({ type: t.String(), value: t.String() })),
  }),
  reason: t.String({
    description:
      "disabled, dependency_not_met, enabled_for_all, strategy_matched, no_strategy_matched or not_found",
  }),
});

export const CreateSegmentRequestSchema = t.Object(
  {
    name: t.String({ minLength: 1, maxLength: 100 }),
    description: t.Optional(t.Union([t.String({ maxLength: 2_000 }), t.Null()])),
    constraints: t.Array(Constraint, { maxItems: FLAG_LIMITS.constraintsPerStrategy }),
    platform: t.Optional(t.Boolean({ description: "a platform-wide segment (platform:flags)" })),
  },
  { additionalProperties: false },
);

export const UpdateSegmentRequestSchema = t.Object(
  {
    name: t.Optional(t.String({ minLength: 1, maxLength: 100 })),
    description: t.Optional(t.Union([t.String({ maxLength: 2_000 }), t.Null()])),
    constraints: t.Optional(t.Array(Constraint, { maxItems: FLAG_LIMITS.constraintsPerStrategy })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const SegmentSchema = t.Object(
  {
    id: t.String({ format: "uuid", description: "what strategies list in `segments`" }),
    scope: t.Union([t.Literal("tenant"), t.Literal("platform")]),
    name: t.String(),
    description: t.Union([t.String(), t.Null()]),
    constraints: t.Array(Constraint),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  },
  { additionalProperties: false },
);

export const FlagIdParams = t.Object({ id: t.String({ format: "uuid" }) });
export const FlagListQuery = t.Object(PageQuery);

export const flagModels = new Elysia({ name: "flag-models" }).model({
  Flag: FlagSchema,
  FlagList: t.Object(
    { items: t.Array(FlagSchema), nextCursor: t.Union([t.String(), t.Null()]) },
    { additionalProperties: false },
  ),
  CreateFlagRequest: CreateFlagRequestSchema,
  UpdateFlagRequest: UpdateFlagRequestSchema,
  EvaluateFlagsRequest: EvaluateFlagsRequestSchema,
  FlagEvaluations: t.Object({ items: t.Array(FlagEvaluationSchema) }, { additionalProperties: false }),
  Segment: SegmentSchema,
  SegmentList: t.Object(
    { items: t.Array(SegmentSchema), nextCursor: t.Union([t.String(), t.Null()]) },
    { additionalProperties: false },
  ),
  CreateSegmentRequest: CreateSegmentRequestSchema,
  UpdateSegmentRequest: UpdateSegmentRequestSchema,
});
