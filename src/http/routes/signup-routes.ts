import { Elysia, t } from "elysia";
import type { Logger } from "../../core/ports/logger";
import type { FindTenants } from "../../core/usecases/signup/find-tenants";
import type { SignUp } from "../../core/usecases/signup/sign-up";
import { runInBackground } from "../background";
import type { RateLimitPlugin } from "../plugins/rate-limit";
import { requestOrigin } from "../request-state";
import { Email, models, problems } from "../schemas";

export interface SignupUseCases {
  signUp: SignUp;
  findTenants: FindTenants;
}

export interface SignupRoutesDeps extends SignupUseCases {
  /** SIGNUP_ENABLED: off, the sign-up route is not there at all (404 as for any unknown path). */
  signupEnabled: boolean;
  rateLimit: RateLimitPlugin;
  logger: Logger;
  describeError: (error: unknown) => string;
}

const SIGNED_UP = {
  message: "Check your inbox: we sent a message to this address to finish signing up.",
};
const WORKSPACES_SENT = {
  message: "If the address has an account, a message listing its workspaces is on its way.",
};

const TenantName = t.String({ minLength: 1, maxLength: 200 });
const SignUpRequest = t.Object(
  {
    email: Email,
    password: t.String({ minLength: 1, maxLength: 256 }),
    tenantName: TenantName,
    tenantSlug: t.Optional(
      t.String({
        minLength: 1,
        maxLength: 63,
        description: "the workspace's slug; left out, one is made from tenantName",
      }),
    ),
  },
  { additionalProperties: false },
);
const FindTenantsRequest = t.Object({ email: Email }, { additionalProperties: false });

type SignupDeps = Pick<SignupRoutesDeps, "signUp" | "findTenants" | "rateLimit"> & {
  background: (event: string, work: () => Promise<void>) => void;
};

function findTenantsRoutes({ findTenants, rateLimit, background }: SignupDeps) {
  return new Elysia({ prefix: "/api/v1/auth", tags: ["account"] })
    .use(models)
    .use(rateLimit)
    .post(
      "/find-tenants",
      ({ body, status }) => {
        background("account.find_tenants_failed", () => findTenants(body.email));
        return status(202, WORKSPACES_SENT);
      },
      {
        rateLimit: { bucket: "find_tenants", address: "email" },
        parse: "json",
        body: FindTenantsRequest,
        response: { 202: "Accepted", ...problems(400, 415, 422, 429) },
        detail: {
          summary: "Mail an address the workspaces it can sign in to",
          description:
            "Answers 202 with the same body whether or not the address has an account. The owner of an " +
            "address with active accounts is mailed each tenant's name, slug and sign-in link; an address " +
            "without any is mailed nothing.",
        },
      },
    );
}

function withSignup(routes: ReturnType<typeof findTenantsRoutes>, { signUp, background }: SignupDeps) {
  return routes.post(
    "/signup",
    async ({ body, request, status }) => {
      await signUp.admit(body);
      const origin = requestOrigin(request);
      background("account.signup_failed", () => signUp.complete(body, origin));
      return status(202, SIGNED_UP);
    },
    {
      rateLimit: { bucket: "signup", address: "email" },
      parse: "json",
      body: SignUpRequest,
      response: { 202: "Accepted", ...problems(400, 409, 415, 422, 429) },
      detail: {
        summary: "Sign up: create a workspace (tenant) and its first admin (SIGNUP_ENABLED)",
        description:
          "Answers 202 with the same body whether or not the address already has an account: a new " +
          "address gets a verification link (the admin signs in once it is verified), a known one a " +
          "notice listing its workspaces. 422 WEAK_PASSWORD, INVALID_SLUG, SLUG_RESERVED; 409 SLUG_TAKEN " +
          "for an asked-for slug (slugs are public). Without SIGNUP_ENABLED the route does not exist (404).",
      },
    },
  );
}

/**
 * Self-service sign-up and "find your workspace": both answer 202 before the work that depends on
 * the address runs, so neither answer nor its timing tells whether the address has an account.
 */
export function signupRoutes(deps: SignupRoutesDeps) {
  const { logger, describeError } = deps;
  const background = (event: string, work: () => Promise<void>) =>
    runInBackground(logger, describeError, event, work);
  const routes = findTenantsRoutes({ ...deps, background });
  if (deps.signupEnabled) return withSignup(routes, { ...deps, background });
  // Off, the route is not registered (an unknown path's 404); the app's type still names it, as the
  // typed client describes the API with every option on.
  return routes as ReturnType<typeof withSignup>;
}
