/** Where the links in emails point; built from PUBLIC_URL and APP_URL by the composition root. */
export interface AccountLinks {
  verifyEmail(token: string): string;
  resetPassword(token: string): string;
  confirmEmailChange(token: string): string;
  acceptInvitation(token: string): string;
}

export const invalidTokenMessage =
  "The link is not valid: it was already used, has expired, or was replaced by a newer one.";
