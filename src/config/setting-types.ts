import { type Static, Type as T, type TObject, type TProperties } from "@sinclair/typebox";

/** Settings of one group, by environment variable name, as the schema gives them after defaults. */
export type SettingsOf<P extends TProperties> = Static<TObject<P>>;

export const Int = (fallback: number, minimum: number, maximum: number, description: string) =>
  T.Integer({ default: fallback, minimum, maximum, description });
export const Str = (fallback: string, description: string) =>
  T.String({ default: fallback, minLength: 1, description });
export const Optional = (description: string) => T.Optional(T.String({ minLength: 1, description }));

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** A ConfigError with the one-line message every configuration problem has. */
export function invalid(problem: string): ConfigError {
  return new ConfigError(`Invalid configuration: ${problem}`);
}
