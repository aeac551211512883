import { Elysia } from "elysia";
import type { makeGetCurrentUser } from "../../core/usecases/users/get-current-user";
import type { AuthPlugin } from "../plugins/auth";
import { presentUser } from "../presenters";
import { models, problems } from "../schemas";

export interface UsersRoutesDeps {
  auth: AuthPlugin;
  getCurrentUser: ReturnType<typeof makeGetCurrentUser>;
}

export function usersRoutes({ auth, getCurrentUser }: UsersRoutesDeps) {
  return new Elysia({ prefix: "/api/v1/users", tags: ["users"] })
    .use(models)
    .use(auth)
    .get("/me", async ({ principal }) => presentUser(await getCurrentUser(principal)), {
      permission: "profile:read",
      response: { 200: "User", ...problems(401, 403, 404) },
      detail: { summary: "The signed-in user", security: [{ bearerAuth: [] }] },
    });
}
