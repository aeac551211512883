import { Secret, TOTP } from "otpauth";
import type { Totp } from "../../core/ports/totp";

const PERIOD_SECONDS = 30;
const SETTINGS = { algorithm: "SHA1", digits: 6, period: PERIOD_SECONDS } as const;

/** TOTP by otpauth (RFC 4226/6238), with the settings every common authenticator app assumes. */
export function otpauthTotp(): Totp {
  return {
    newSecret: () => new Secret({ size: 20 }).base32,
    uri: (secret, account, issuer) =>
      new TOTP({ ...SETTINGS, issuer, label: account, secret: Secret.fromBase32(secret) }).toString(),
    matchStep(secret, code, at) {
      const totp = new TOTP({ ...SETTINGS, secret: Secret.fromBase32(secret) });
      const timestamp = at.getTime();
      const delta = totp.validate({ token: code, timestamp, window: 1 });
      return delta === null ? null : Math.floor(timestamp / 1000 / PERIOD_SECONDS) + delta;
    },
  };
}
