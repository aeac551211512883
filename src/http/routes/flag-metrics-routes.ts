import { Elysia, t } from "elysia";
import type { ReadFlagMetrics } from "../../core/usecases/flags/read-flag-metrics";
import { FlagIdParams } from "../flags-schemas";
import type { AuthPlugin } from "../plugins/auth";
import { Integer, models, problems } from "../schemas";

export interface FlagMetricsRoutesDeps {
  auth: AuthPlugin;
  readFlagMetrics: ReadFlagMetrics;
}

const Count = Integer({ minimum: 0 });

const FlagMetricsSchema = t.Object(
  {
    key: t.String(),
    hours: t.Array(
      t.Object(
        {
          hour: t.String({ format: "date-time", description: "the hour's first instant" }),
          yes: Count,
          no: Count,
          variants: t.Record(t.String(), Count),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export function flagMetricsRoutes({ auth, readFlagMetrics }: FlagMetricsRoutesDeps) {
  return new Elysia({ prefix: "/api/v1/features", tags: ["features"] })
    .use(models)
    .model({ FlagMetrics: FlagMetricsSchema })
    .use(auth)
    .guard({ auth: true })
    .get(
      "/:id/metrics",
      async ({ acting, params, query }) => {
        const view = await readFlagMetrics.byId(acting, params.id, query.hours ?? 24);
        return {
          key: view.key,
          hours: view.hours.map(({ hour, yes, no, variants }) => ({
            hour: hour.toISOString(),
            yes,
            no,
            variants,
          })),
        };
      },
      {
        params: FlagIdParams,
        query: t.Object({
          hours: t.Optional(
            t.Integer({
              minimum: 1,
              maximum: 720,
              default: undefined,
              description: "how many hours back, 24 by default",
            }),
          ),
        }),
        response: { 200: "FlagMetrics", ...problems(401, 403, 404, 422) },
        detail: {
          summary: "How often a flag answered yes, no and each variant, per hour",
          description:
            "flags:read. Counts of your tenant's answers (POST /evaluate and Unleash SDKs' metrics), oldest hour " +
            "first; hours with no answer are absent. Counts reach the database every few seconds, not at once.",
        },
      },
    );
}
