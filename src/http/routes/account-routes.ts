import { Elysia, t } from "elysia";
import { DomainError } from "../../core/domain/errors";
import type { Logger } from "../../core/ports/logger";
import type { EmailChange } from "../../core/usecases/account/email-change";
import type { EmailVerification } from "../../core/usecases/account/email-verification";
import type { makeAcceptInvitation } from "../../core/usecases/account/invitation";
import type { PasswordReset } from "../../core/usecases/account/password-reset";
import { runInBackground } from "../background";
import { htmlPage } from "../html-page";
import type { RateLimitPlugin } from "../plugins/rate-limit";
import type { SignInTenantPlugin } from "../plugins/sign-in-tenant";
import { requestOrigin } from "../request-state";
import { models, problems } from "../schemas";

export interface AccountRoutesDeps {
  verification: EmailVerification;
  passwordReset: PasswordReset;
  emailChange: EmailChange;
  rateLimit: RateLimitPlugin;
  signInTenant: SignInTenantPlugin;
  acceptInvitation: ReturnType<typeof makeAcceptInvitation>;
  logger: Logger;
  describeError: (error: unknown) => string;
}

const ACCEPTED = { message: "If the address belongs to an account, a message is on its way." };
const TokenQuery = t.Object({ token: t.String({ minLength: 1, maxLength: 256 }) });
/** The page a mailed link opens (a Response: documented, not validated). */
const HtmlPage = t.String({ contentMediaType: "text/html" });

/** A link opened in a browser: a page that says what happened instead of problem+json. */
async function pageFor(
  work: () => Promise<{ email: string }>,
  title: string,
  success: (email: string) => string,
) {
  try {
    return htmlPage(200, title, success((await work()).email));
  } catch (error) {
    if (error instanceof DomainError) return htmlPage(400, "This link does not work", error.message);
    throw error;
  }
}

/** Email verification, password reset and email change: the flows that reach users by email. */
export function accountRoutes(deps: AccountRoutesDeps) {
  const {
    verification,
    passwordReset,
    emailChange,
    rateLimit,
    signInTenant,
    acceptInvitation,
    logger,
    describeError,
  } = deps;
  const background = (event: string, work: () => Promise<void>) =>
    runInBackground(logger, describeError, event, work);

  return new Elysia({ prefix: "/api/v1/auth", tags: ["account"] })
    .use(models)
    .use(signInTenant)
    .use(rateLimit)
    .post(
      "/resend-verification",
      ({ body, tenant, status }) => {
        background("account.resend_verification_failed", () => verification.resend(tenant, body.email));
        return status(202, ACCEPTED);
      },
      {
        signInTenant: true,
        rateLimit: { bucket: "resend_verification", account: "email" },
        parse: "json",
        body: "EmailRequest",
        response: { 202: "Accepted", ...problems(400, 403, 404, 415, 422, 429) },
        detail: {
          summary: "Send a new verification link",
          description: "Answers 202 with the same body whether or not the address exists.",
        },
      },
    )
    .get(
      "/verify-email",
      async ({ query, request }) => {
        const origin = requestOrigin(request);
        return pageFor(
          () => verification.verify(query.token, origin),
          "Email verified",
          (email) => `${email} is verified. You can close this page.`,
        );
      },
      {
        rateLimit: "verify_email",
        query: TokenQuery,
        response: { 200: HtmlPage, 400: HtmlPage, ...problems(422, 429) },
        detail: { summary: "Verify an email address (the link in the email; an HTML page)" },
      },
    )
    .post(
      "/verify-email",
      async ({ body, request }) => ({
        verified: true as const,
        ...(await verification.verify(body.token, requestOrigin(request))),
      }),
      {
        rateLimit: "verify_email",
        parse: "json",
        body: "TokenRequest",
        response: {
          200: t.Object({ verified: t.Literal(true), email: t.String() }, { additionalProperties: false }),
          ...problems(400, 415, 422, 429),
        },
        detail: { summary: "Verify an email address (JSON)" },
      },
    )
    .post(
      "/forgot-password",
      ({ body, request, tenant, status }) => {
        const origin = requestOrigin(request);
        background("account.forgot_password_failed", () => passwordReset.request(tenant, body.email, origin));
        return status(202, ACCEPTED);
      },
      {
        signInTenant: true,
        rateLimit: { bucket: "forgot_password", account: "email" },
        parse: "json",
        body: "EmailRequest",
        response: { 202: "Accepted", ...problems(400, 403, 404, 415, 422, 429) },
        detail: {
          summary: "Mail a password reset link",
          description: "Answers 202 with the same body whether or not the address exists.",
        },
      },
    )
    .post(
      "/reset-password",
      async ({ body, request, status }) => {
        await passwordReset.reset(body.token, body.newPassword, requestOrigin(request));
        return status(204, undefined);
      },
      {
        rateLimit: "reset_password",
        parse: "json",
        body: "ResetPasswordRequest",
        response: { 204: t.Void(), ...problems(400, 415, 422, 429) },
        detail: { summary: "Set a new password with a reset token; every session of the user ends" },
      },
    )
    .get(
      "/confirm-email-update",
      async ({ query, request }) => {
        const origin = requestOrigin(request);
        return pageFor(
          () => emailChange.confirm(query.token, origin),
          "Email address changed",
          (email) => `Your address is now ${email}.`,
        );
      },
      {
        rateLimit: "confirm_email",
        query: TokenQuery,
        response: { 200: HtmlPage, 400: HtmlPage, ...problems(422, 429) },
        detail: { summary: "Confirm a new email address (the link in the email; an HTML page)" },
      },
    )
    .post(
      "/confirm-email-update",
      async ({ body, request }) => ({
        changed: true as const,
        ...(await emailChange.confirm(body.token, requestOrigin(request))),
      }),
      {
        rateLimit: "confirm_email",
        parse: "json",
        body: "TokenRequest",
        response: {
          200: t.Object({ changed: t.Literal(true), email: t.String() }, { additionalProperties: false }),
          ...problems(400, 409, 415, 422, 429),
        },
        detail: { summary: "Confirm a new email address (JSON)" },
      },
    )
    .post(
      "/accept-invitation",
      async ({ body, request, status }) => {
        await acceptInvitation(body.token, body.newPassword, requestOrigin(request));
        return status(204, undefined);
      },
      {
        // The reset-password bucket: both set a password from a mailed token, so they are guessed at together.
        rateLimit: "reset_password",
        parse: "json",
        body: "ResetPasswordRequest",
        response: { 204: t.Void(), ...problems(400, 415, 422, 429) },
        detail: {
          summary:
            "Choose the password of an invited account (the link in the invitation); verifies the email, ends every session of the user and voids its other links",
        },
      },
    );
}
