import { Elysia, t } from "elysia";
import { pageRequest } from "../../core/domain/pagination";
import type { EvaluateFlags } from "../../core/usecases/flags/evaluate-flags";
import type { ManageFlags } from "../../core/usecases/flags/manage-flags";
import { FlagIdParams, FlagListQuery, flagModels } from "../flags-schemas";
import type { AuthPlugin } from "../plugins/auth";
import { presentFlag } from "../presenters";
import { models, problems } from "../schemas";

export interface FeaturesRoutesDeps {
  auth: AuthPlugin;
  flags: ManageFlags;
  evaluate: EvaluateFlags;
}

const validation =
  "Definitions follow Unleash's client API. An unknown operator, a percentage outside 0-100, a " +
  "pattern RE2 refuses, an invalid version, date or CIDR range, a dependency or segment that does " +
  "not exist, or a bound passed (constraints counted with the strategy's segments', the scope's " +
  "patterns and size): 422 INVALID_FLAG with field errors.";

export function featuresRoutes({ auth, flags, evaluate }: FeaturesRoutesDeps) {
  return new Elysia({ prefix: "/api/v1/features", tags: ["features"] })
    .use(models)
    .use(flagModels)
    .use(auth)
    .guard({ auth: true })
    .get(
      "",
      async ({ acting, query }) => {
        const page = await flags.list(acting, pageRequest(query.limit, query.cursor));
        return { items: page.items.map(presentFlag), nextCursor: page.nextCursor };
      },
      {
        query: FlagListQuery,
        response: { 200: "FlagList", ...problems(401, 403, 422) },
        detail: {
          summary: "List the flags that apply to your tenant",
          description: "Its own flags and the platform-wide flags whose key it does not use (flags:read).",
        },
      },
    )
    .post(
      "",
      async ({ acting, body, status }) => status(201, presentFlag(await flags.create(acting, body))),
      {
        parse: "json",
        body: "CreateFlagRequest",
        response: { 201: "Flag", ...problems(400, 401, 403, 409, 413, 415, 422) },
        detail: {
          summary: "Create a flag",
          description: `flags:write; platform-wide flags need platform:flags. A key used in the scope: 409 FLAG_KEY_TAKEN; a scope that holds 200 flags: 409 FLAG_LIMIT_REACHED. ${validation}`,
        },
      },
    )
    .post(
      "/evaluate",
      async ({ acting, body }) => ({
        items: await evaluate(acting, { key: body.key, keys: body.keys, context: body.context }),
      }),
      {
        parse: "json",
        body: "EvaluateFlagsRequest",
        response: { 200: "FlagEvaluations", ...problems(400, 401, 403, 413, 415, 422) },
        detail: {
          summary: "Evaluate flags for the caller",
          description:
            "Evaluates `key` and `keys`, or every flag of the tenant when neither is given (flags:read). " +
            "The context is the caller's (userId, tenantId, tenantSlug, plan, role, remoteAddress) plus the " +
            "fields given; a key that does not exist evaluates disabled with reason not_found.",
        },
      },
    )
    .get("/:id", async ({ acting, params }) => presentFlag(await flags.get(acting, params.id)), {
      params: FlagIdParams,
      response: { 200: "Flag", ...problems(401, 403, 404, 422) },
      detail: { summary: "A flag of your tenant, or a platform-wide one" },
    })
    .put(
      "/:id",
      async ({ acting, params, body }) =>
        presentFlag(await flags.update(acting, { id: params.id, patch: body })),
      {
        parse: "json",
        params: FlagIdParams,
        body: "UpdateFlagRequest",
        response: { 200: "Flag", ...problems(400, 401, 403, 404, 413, 415, 422) },
        detail: {
          summary: "Change a flag",
          description: `Changes the given fields (flags:write; platform-wide flags need platform:flags). ${validation}`,
        },
      },
    )
    .delete(
      "/:id",
      async ({ acting, params, status }) => {
        await flags.delete(acting, params.id);
        return status(204, undefined);
      },
      {
        params: FlagIdParams,
        response: { 204: t.Void(), ...problems(401, 403, 404, 409, 422) },
        detail: {
          summary: "Delete a flag",
          description:
            "flags:write; a flag other flags depend on: 409 FLAG_HAS_DEPENDENTS (for a platform-wide flag, the count of tenants' dependents, never their keys).",
        },
      },
    );
}
