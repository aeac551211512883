import type { Config } from "../config";
import type { AccountLinks } from "../core/usecases/account/links";

/** The links mailed to users: API pages under PUBLIC_URL, the web app's forms under APP_URL. */
export function accountLinks({
  publicUrl,
  appUrl,
}: Pick<Config["http"], "publicUrl" | "appUrl">): AccountLinks {
  const withToken = (base: string, token: string) => `${base}?token=${encodeURIComponent(token)}`;
  return {
    verifyEmail: (token) => withToken(`${publicUrl}/api/v1/auth/verify-email`, token),
    resetPassword: (token) => withToken(`${appUrl}/reset-password`, token),
    confirmEmailChange: (token) => withToken(`${publicUrl}/api/v1/auth/confirm-email-update`, token),
    acceptInvitation: (token) => withToken(`${appUrl}/accept-invitation`, token),
  };
}
