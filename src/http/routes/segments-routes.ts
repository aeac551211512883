import { Elysia, t } from "elysia";
import { pageRequest } from "../../core/domain/pagination";
import type { ManageSegments } from "../../core/usecases/flags/manage-segments";
import { FlagIdParams, FlagListQuery, flagModels } from "../flags-schemas";
import type { AuthPlugin } from "../plugins/auth";
import { presentSegment } from "../presenters";
import { models, problems } from "../schemas";

export interface SegmentsRoutesDeps {
  auth: AuthPlugin;
  segments: ManageSegments;
}

/** Segments: named constraint sets that flag strategies list by id in `segments`. */
export function segmentsRoutes({ auth, segments }: SegmentsRoutesDeps) {
  return new Elysia({ prefix: "/api/v1/features/segments", tags: ["features"] })
    .use(models)
    .use(flagModels)
    .use(auth)
    .guard({ auth: true })
    .get(
      "",
      async ({ acting, query }) => {
        const page = await segments.list(acting, pageRequest(query.limit, query.cursor));
        return { items: page.items.map(presentSegment), nextCursor: page.nextCursor };
      },
      {
        query: FlagListQuery,
        response: { 200: "SegmentList", ...problems(401, 403, 422) },
        detail: { summary: "List your tenant's segments and the platform-wide ones" },
      },
    )
    .post(
      "",
      async ({ acting, body, status }) => status(201, presentSegment(await segments.create(acting, body))),
      {
        parse: "json",
        body: "CreateSegmentRequest",
        response: { 201: "Segment", ...problems(400, 401, 403, 409, 413, 415, 422) },
        detail: {
          summary: "Create a segment",
          description:
            "flags:write (platform-wide: platform:flags). A name used in the scope: 409 SEGMENT_NAME_TAKEN; " +
            "invalid constraints, a pattern RE2 refuses, or a bound passed: 422 INVALID_SEGMENT.",
        },
      },
    )
    .get("/:id", async ({ acting, params }) => presentSegment(await segments.get(acting, params.id)), {
      params: FlagIdParams,
      response: { 200: "Segment", ...problems(401, 403, 404, 422) },
      detail: { summary: "A segment of your tenant, or a platform-wide one" },
    })
    .put(
      "/:id",
      async ({ acting, params, body }) =>
        presentSegment(await segments.update(acting, { id: params.id, patch: body })),
      {
        parse: "json",
        params: FlagIdParams,
        body: "UpdateSegmentRequest",
        response: { 200: "Segment", ...problems(400, 401, 403, 404, 409, 413, 415, 422) },
        detail: {
          summary: "Change a segment; flags using it evaluate the change at once",
          description:
            "A change that would make a strategy using it check more than 20 constraints: 422 INVALID_SEGMENT.",
        },
      },
    )
    .delete(
      "/:id",
      async ({ acting, params, status }) => {
        await segments.delete(acting, params.id);
        return status(204, undefined);
      },
      {
        params: FlagIdParams,
        response: { 204: t.Void(), ...problems(401, 403, 404, 409, 422) },
        detail: { summary: "Delete a segment no flag uses (else 409 SEGMENT_IN_USE)" },
      },
    );
}
