import { ForbiddenError } from "../core/domain/errors";

/**
 * What a session that may only enrol a second factor can call: read who it is, enrol and confirm a
 * TOTP factor, and sign out. Everything else is refused until the enrolment is confirmed.
 */
const ENROLMENT_ROUTES = new Set([
  "GET /api/v1/users/me",
  "POST /api/v1/users/me/mfa/totp",
  "POST /api/v1/users/me/mfa/totp/confirm",
  "POST /api/v1/auth/logout",
]);

export function assertEnrolmentRoute(request: Request): void {
  const path = new URL(request.url).pathname.replace(/\/+$/, "");
  if (!ENROLMENT_ROUTES.has(`${request.method} ${path}`)) {
    throw new ForbiddenError(
      "MFA_ENROLLMENT_REQUIRED",
      "Your tenant requires two-factor sign-in: enrol at POST /api/v1/users/me/mfa/totp and confirm it first.",
    );
  }
}
