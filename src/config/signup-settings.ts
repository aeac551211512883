import { Type as T } from "@sinclair/typebox";
import type { SettingsOf } from "./setting-types";

export const signupSettings = {
  SIGNUP_ENABLED: T.Boolean({
    default: false,
    description: "anyone may create a tenant with POST /api/v1/auth/signup (off: the route does not exist)",
  }),
};

export interface SignupConfig {
  enabled: boolean;
}

export function signupConfig(env: SettingsOf<typeof signupSettings>): SignupConfig {
  return { enabled: env.SIGNUP_ENABLED };
}
