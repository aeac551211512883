import { t } from "elysia";

/**
 * What Unleash SDKs post. Unlike our own API these accept fields they do not name: each SDK and
 * version adds its own (connectionId, specVersion, impactMetrics...), and refusing one would break
 * an SDK the day it ships. Only what we read is checked, and bounded.
 */
const Name = t.String({ maxLength: 255 });

export const ClientRegistration = t.Object(
  {
    appName: Name,
    instanceId: t.Optional(Name),
    sdkVersion: t.Optional(Name),
    strategies: t.Optional(t.Array(Name, { maxItems: 100 })),
  },
  { additionalProperties: true },
);

/** `POST /api/frontend`: the context is read by contextFromBody, which bounds and checks it. */
export const FrontendRequest = t.Object({ context: t.Optional(t.Unknown()) }, { additionalProperties: true });

const Count = t.Number({ minimum: 0 });

export const ClientMetrics = t.Object(
  {
    appName: t.Optional(Name),
    instanceId: t.Optional(Name),
    bucket: t.Optional(
      t.Union([
        t.Object(
          {
            toggles: t.Record(
              t.String({ maxLength: 200 }),
              t.Object(
                {
                  yes: t.Optional(Count),
                  no: t.Optional(Count),
                  variants: t.Optional(t.Union([t.Record(t.String({ maxLength: 200 }), Count), t.Null()])),
                },
                { additionalProperties: true },
              ),
              { maxProperties: 2_000 },
            ),
          },
          { additionalProperties: true },
        ),
        t.Null(),
      ]),
    ),
  },
  { additionalProperties: true },
);
