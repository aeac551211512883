import { aesGcmSecretBox, mfaEncryptionKey } from "../adapters/security/aes-gcm-secret-box";
import { otpauthTotp } from "../adapters/security/otpauth-totp";
import type { Config } from "../config";
import type { Authorize } from "../core/usecases/auth/authorize";
import { makeManageTotp } from "../core/usecases/mfa/manage-totp";
import { makeMfaSignIn } from "../core/usecases/mfa/mfa-sign-in";
import { makeResetMfa } from "../core/usecases/mfa/reset-mfa";
import type { UserCache } from "../core/usecases/users/user-cache";
import type { CoreAdapters } from "./core-adapters";
import type { EphemeralStore } from "./ephemeral-store";

/** The two-factor sign-in use cases: TOTP by otpauth, secrets sealed with AES-256-GCM. */
export function wireMfa(
  config: Config,
  store: Pick<EphemeralStore, "loginLockout">,
  { uow, hasher, issuer, clock, ids, cache, mailer }: CoreAdapters,
  { authorize, userCache }: { authorize: Authorize; userCache: UserCache },
) {
  const factor = { totp: otpauthTotp(), box: aesGcmSecretBox(mfaEncryptionKey(config.auth.mfaKeyMaterial)) };
  const sessionCacheTtlSeconds = config.cache.sessionTtlSeconds;
  return {
    mfaSignIn: makeMfaSignIn({
      ...factor,
      uow,
      issuer,
      clock,
      ids,
      lockout: store.loginLockout,
      refreshTokenTtlSeconds: config.auth.refreshTokenTtlSeconds,
      userCache,
    }),
    manageTotp: makeManageTotp({
      ...factor,
      uow,
      hasher,
      lockout: store.loginLockout,
      clock,
      cache,
      sessionCacheTtlSeconds,
      productName: config.auth.mfaIssuer,
    }),
    resetMfa: makeResetMfa({
      uow,
      authorize,
      mailer,
      cache,
      clock,
      sessionCacheTtlSeconds,
    }),
  };
}
