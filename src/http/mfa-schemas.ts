import { Elysia, t } from "elysia";
import { TokenPairSchema } from "./schemas";

const Password = t.String({ minLength: 1, maxLength: 256 });
const Code = t.String({
  minLength: 6,
  maxLength: 32,
  description: "a 6-digit code of the authenticator app, or (where accepted) an unused recovery code",
});

export const MfaChallengeSchema = t.Object(
  {
    mfaRequired: t.Literal(true),
    mfaToken: t.String({
      description: "trade it at POST /api/v1/auth/mfa/verify within 5 minutes; single use",
    }),
    methods: t.Array(t.Union([t.Literal("totp"), t.Literal("recovery")])),
  },
  { additionalProperties: false },
);

export const RecoveryCodesSchema = t.Object(
  {
    recoveryCodes: t.Array(t.String(), {
      description: "10 single-use codes, shown this once: each signs in instead of a TOTP code",
    }),
  },
  { additionalProperties: false },
);

export const mfaModels = new Elysia({ name: "mfa-models" }).model({
  SignInResult: t.Union([TokenPairSchema, MfaChallengeSchema]),
  MfaChallenge: MfaChallengeSchema,
  RecoveryCodes: RecoveryCodesSchema,
  TotpEnrolment: t.Object(
    {
      secret: t.String({ description: "base32; for typing into an authenticator app" }),
      otpauthUri: t.String({ description: "otpauth://totp/... for a QR code" }),
    },
    { additionalProperties: false },
  ),
  TotpEnrolRequest: t.Object({ password: Password }, { additionalProperties: false }),
  MfaCodeRequest: t.Object({ code: Code }, { additionalProperties: false }),
  TotpDisableRequest: t.Object({ password: Password, code: Code }, { additionalProperties: false }),
  MfaVerifyRequest: t.Object(
    { mfaToken: t.String({ minLength: 1, maxLength: 256 }), code: Code },
    { additionalProperties: false },
  ),
});
