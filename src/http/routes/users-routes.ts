import { Elysia, t } from "elysia";
import { pageRequest } from "../../core/domain/pagination";
import { ROLES } from "../../core/domain/roles";
import type { EmailChange } from "../../core/usecases/account/email-change";
import type { makeListSessions } from "../../core/usecases/sessions/list-sessions";
import type { RevokeSessions } from "../../core/usecases/sessions/revoke-sessions";
import type { makeChangePassword } from "../../core/usecases/users/change-password";
import type { makeGetCurrentUser } from "../../core/usecases/users/get-current-user";
import type { ManageUsers } from "../../core/usecases/users/manage-users";
import type { AuthPlugin } from "../plugins/auth";
import type { RateLimitPlugin } from "../plugins/rate-limit";
import { presentSession, presentUser } from "../presenters";
import {
  Integer,
  models,
  optionalChoice,
  PageQuery,
  problems,
  UserIdParams,
  UserSessionParams,
} from "../schemas";

export interface UsersRoutesDeps {
  auth: AuthPlugin;
  getCurrentUser: ReturnType<typeof makeGetCurrentUser>;
  listSessions: ReturnType<typeof makeListSessions>;
  sessions: RevokeSessions;
  changePassword: ReturnType<typeof makeChangePassword>;
  emailChange: EmailChange;
  rateLimit: RateLimitPlugin;
  manageUsers: ManageUsers;
}

export function usersRoutes({
  auth,
  getCurrentUser,
  listSessions,
  sessions,
  changePassword,
  emailChange,
  rateLimit,
  manageUsers,
}: UsersRoutesDeps) {
  return new Elysia({ prefix: "/api/v1/users", tags: ["users"] })
    .use(models)
    .use(auth)
    .use(rateLimit)
    .get("/me", async ({ acting }) => presentUser(await getCurrentUser(acting)), {
      person: true,
      permission: "profile:read",
      response: { 200: "User", ...problems(401, 403, 404) },
      detail: { summary: "The signed-in user" },
    })
    .get(
      "/:id/sessions",
      async ({ acting, params }) => ({
        items: (await listSessions(acting, params.id)).map(presentSession),
      }),
      {
        person: true,
        params: UserIdParams,
        response: { 200: "SessionList", ...problems(401, 403, 404, 422) },
        detail: {
          summary: "A user's live sessions",
          description: "Your own, or anyone's below your role with sessions:read.",
        },
      },
    )
    .delete(
      "/:id/sessions/:sessionId",
      async ({ acting, params, status }) => {
        await sessions.revokeOne(acting, { userId: params.id, sessionId: params.sessionId });
        return status(204, undefined);
      },
      {
        person: true,
        params: UserSessionParams,
        response: { 204: t.Void(), ...problems(401, 403, 404, 422) },
        detail: {
          summary: "End one session",
          description: "Your own, or anyone's below your role with sessions:revoke.",
        },
      },
    )
    .delete(
      "/:id/sessions",
      async ({ acting, params }) => ({ revoked: await sessions.revokeAll(acting, params.id) }),
      {
        person: true,
        params: UserIdParams,
        response: {
          200: t.Object({ revoked: Integer() }, { additionalProperties: false }),
          ...problems(401, 403, 404, 422),
        },
        detail: { summary: "End all of a user's sessions" },
      },
    )
    .post(
      "/:id/password",
      async ({ acting, params, body, status }) => {
        await changePassword(acting, { userId: params.id, ...body });
        return status(204, undefined);
      },
      {
        person: true,
        parse: "json",
        params: UserIdParams,
        body: "ChangePasswordRequest",
        response: { 204: t.Void(), ...problems(400, 401, 403, 404, 415, 422, 429) },
        detail: {
          summary: "Change a password",
          description:
            "Your own needs currentPassword; another user's needs users:credentials. Every other session of the " +
            "user ends. A weak password is 422 WEAK_PASSWORD.",
        },
      },
    )
    .patch(
      "/:id/email",
      async ({ acting, params, body, status }) => {
        await emailChange.request(acting, { userId: params.id, ...body });
        return status(202, { message: "A confirmation link was sent to the new address." });
      },
      {
        person: true,
        // Keyed by the new address too: this route sends mail to an address the caller chooses.
        rateLimit: { bucket: "email_change", account: "newEmail" },
        parse: "json",
        params: UserIdParams,
        body: "EmailChangeRequest",
        response: { 202: "Accepted", ...problems(400, 401, 403, 404, 409, 415, 422, 429) },
        detail: {
          summary: "Change an email address",
          description:
            "Mails a confirmation link to the new address; the address changes only when it is opened " +
            "(GET|POST /auth/confirm-email-update), and the old address is told. Yours (with currentPassword), or the address of a user below your role with users:update.",
        },
      },
    )
    .get(
      "",
      async ({ acting, query }) => {
        const page = await manageUsers.list(acting, {
          filter: { emailPrefix: query.email, role: query.role, isActive: query.isActive },
          page: pageRequest(query.limit, query.cursor),
        });
        return { items: page.items.map(presentUser), nextCursor: page.nextCursor };
      },
      {
        permission: "users:read",
        query: t.Object({
          email: t.Optional(t.String({ minLength: 1, maxLength: 254, description: "email prefix" })),
          role: optionalChoice(ROLES),
          isActive: t.Optional(t.Boolean()),
          ...PageQuery,
        }),
        response: { 200: "UserList", ...problems(401, 403, 422) },
        detail: { summary: "List the tenant's users" },
      },
    )
    .post(
      "",
      async ({ acting, body, status }) => status(201, presentUser(await manageUsers.create(acting, body))),
      {
        permission: "users:create",
        parse: "json",
        body: "CreateUserRequest",
        response: { 201: "User", ...problems(400, 401, 403, 409, 415, 422, 429) },
        detail: {
          summary: "Create a user",
          description:
            "With a password (policy applied) a verification link is mailed; without, an invitation to choose one. " +
            "The role may be at most your own. Each caller and each tenant may create only so many users per " +
            "window (RATE_LIMIT_INVITATION_*): beyond, 429 RATE_LIMITED with Retry-After.",
        },
      },
    )
    .get("/:id", async ({ acting, params }) => presentUser(await manageUsers.get(acting, params.id)), {
      auth: true,
      params: UserIdParams,
      response: { 200: "User", ...problems(401, 403, 404, 422) },
      detail: { summary: "A user of your tenant (yourself, or anyone with users:read)" },
    })
    .put(
      "/:id",
      async ({ acting, params, body }) =>
        presentUser(await manageUsers.update(acting, { id: params.id, patch: body })),
      {
        auth: true,
        parse: "json",
        params: UserIdParams,
        body: "UpdateUserRequest",
        response: { 200: "User", ...problems(400, 401, 403, 404, 415, 422) },
        detail: {
          summary: "Update a user",
          description:
            "Your own names; the names, role (at most your own) and active flag of users below you. " +
            "A role change or deactivation ends the user's sessions.",
        },
      },
    )
    .delete(
      "/:id",
      async ({ acting, params, status }) => {
        await manageUsers.delete(acting, params.id);
        return status(204, undefined);
      },
      {
        permission: "users:delete",
        params: UserIdParams,
        response: { 204: t.Void(), ...problems(401, 403, 404, 422) },
        detail: { summary: "Delete a user below you (never yourself); their sessions end" },
      },
    );
}
