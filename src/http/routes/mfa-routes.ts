import { Elysia, t } from "elysia";
import type { ManageTotp } from "../../core/usecases/mfa/manage-totp";
import type { MfaSignIn } from "../../core/usecases/mfa/mfa-sign-in";
import type { ResetMfa } from "../../core/usecases/mfa/reset-mfa";
import { mfaModels } from "../mfa-schemas";
import type { AuthPlugin } from "../plugins/auth";
import type { RateLimitPlugin } from "../plugins/rate-limit";
import { requestOrigin } from "../request-state";
import { models, problems, UserIdParams } from "../schemas";
import type { SessionCookies } from "../session-cookie";

export interface MfaUseCases {
  mfaSignIn: MfaSignIn;
  manageTotp: ManageTotp;
  resetMfa: ResetMfa;
}

export interface MfaRoutesDeps extends MfaUseCases {
  auth: AuthPlugin;
  rateLimit: RateLimitPlugin;
  cookies: SessionCookies;
}

/** Two-factor sign-in: the second step of a login, a person's own TOTP factor, and an admin's reset. */
export function mfaRoutes({ auth, rateLimit, cookies, mfaSignIn, manageTotp, resetMfa }: MfaRoutesDeps) {
  return new Elysia({ prefix: "/api/v1", tags: ["mfa"] })
    .use(models)
    .use(mfaModels)
    .use(auth)
    .use(rateLimit)
    .post(
      "/auth/mfa/verify",
      async ({ body, request, set }) => {
        const { pair, cookieSession } = await mfaSignIn.verify(body, requestOrigin(request));
        return cookieSession ? cookies.deliver(pair, set) : pair;
      },
      {
        rateLimit: "login",
        parse: "json",
        body: "MfaVerifyRequest",
        response: { 200: "TokenPair", ...problems(400, 401, 403, 415, 422, 429) },
        detail: {
          summary: "Finish a sign-in with a second factor",
          description:
            "Trades the mfaToken of a login and a TOTP code (or an unused recovery code) for the session's tokens, " +
            "delivered as the login asked (body or cookie). A wrong code is 401 INVALID_MFA_CODE and counts towards " +
            "the account's lockout; after 5 the mfaToken is dead (401 INVALID_MFA_TOKEN), as it is once used or " +
            "5 minutes old. A TOTP code is accepted once.",
        },
      },
    )
    .post("/users/me/mfa/totp", async ({ acting, body }) => manageTotp.enrol(acting, body.password), {
      person: true,
      parse: "json",
      body: "TotpEnrolRequest",
      response: { 200: "TotpEnrolment", ...problems(400, 401, 403, 409, 415, 422, 429) },
      detail: {
        summary: "Start enrolling a TOTP authenticator",
        description:
          "Needs your current password. Returns a new secret and its otpauth:// URI; nothing changes at sign-in " +
          "until a code confirms it. Starting again replaces a pending enrolment; a confirmed factor is never " +
          "replaced (409 MFA_ALREADY_ENABLED: turn it off first, which needs a code).",
      },
    })
    .post("/users/me/mfa/totp/confirm", async ({ acting, body }) => manageTotp.confirm(acting, body.code), {
      person: true,
      parse: "json",
      body: "MfaCodeRequest",
      response: { 200: "RecoveryCodes", ...problems(400, 401, 403, 409, 415, 422) },
      detail: {
        summary: "Turn two-factor sign-in on",
        description:
          "A current code of the enrolled authenticator turns it on and returns 10 recovery codes, shown this " +
          "once. A session that could only enrol (tenant policy mfaRequired) is released.",
      },
    })
    .delete(
      "/users/me/mfa/totp",
      async ({ acting, body, status }) => {
        await manageTotp.disable(acting, body);
        return status(204, undefined);
      },
      {
        person: true,
        parse: "json",
        body: "TotpDisableRequest",
        response: { 204: t.Void(), ...problems(400, 401, 403, 404, 415, 422, 429) },
        detail: {
          summary: "Turn two-factor sign-in off",
          description:
            "Needs your password and a code (TOTP or recovery). 403 MFA_REQUIRED_BY_TENANT when your tenant's " +
            "policy requires it for your role.",
        },
      },
    )
    .post(
      "/users/me/mfa/recovery-codes",
      async ({ acting, body }) => manageTotp.regenerateRecoveryCodes(acting, body.code),
      {
        person: true,
        parse: "json",
        body: "MfaCodeRequest",
        response: { 200: "RecoveryCodes", ...problems(400, 401, 403, 404, 415, 422, 429) },
        detail: {
          summary: "Replace the recovery codes",
          description:
            "Needs a code (TOTP or recovery). The old codes stop working; the new ones are shown once.",
        },
      },
    )
    .delete(
      "/users/:id/mfa",
      async ({ acting, params, status }) => {
        await resetMfa(acting, params.id);
        return status(204, undefined);
      },
      {
        person: true,
        params: UserIdParams,
        response: { 204: t.Void(), ...problems(401, 403, 404, 422) },
        detail: {
          summary: "Reset a user's two-factor sign-in",
          description:
            "users:credentials and a role above the user's. Removes their factor, ends their sessions and tells " +
            "them by email. Not for yourself (403 MFA_RESET_SELF).",
        },
      },
    );
}
