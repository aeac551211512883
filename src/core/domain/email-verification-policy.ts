/**
 * The tenant setting `requireVerifiedEmail`: its users must verify their address before they sign
 * in. Tenants made by self-service sign-up start with it on; any other tenant has it off until an
 * admin sets it (so turning the feature on never locks out an existing tenant's users).
 */
export const REQUIRE_VERIFIED_EMAIL = "requireVerifiedEmail";

export function requiresVerifiedEmail(settings: Record<string, unknown>): boolean {
  return settings[REQUIRE_VERIFIED_EMAIL] === true;
}
