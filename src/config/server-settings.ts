import { Type as T } from "@sinclair/typebox";
import { corsSettings, parseCorsOrigins } from "./cors-settings";
import { Int, invalid, Optional, type SettingsOf, Str } from "./setting-types";
import { parseTrustedProxies } from "./trusted-proxies";

export const serverSettings = {
  HOST: Str("0.0.0.0", "interface to listen on"),
  PORT: Int(8080, 0, 65535, "HTTP port"),
  PUBLIC_URL: Optional("base URL of the API as users reach it, for links in emails"),
  APP_URL: Optional("base URL of your web app, for the password-reset link (default PUBLIC_URL)"),
  BASE_DOMAIN: T.Optional(
    T.String({
      pattern: "^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$",
      description:
        "a bare host name (no scheme, port or path); tenants are then served at {slug}.BASE_DOMAIN",
    }),
  ),
  TRUSTED_PROXIES: T.String({
    default: "",
    description: "addresses or CIDR ranges of the proxies in front of the app, comma separated",
  }),
  ...corsSettings,
  MAX_BODY_BYTES: Int(1_048_576, 1_024, 104_857_600, "largest accepted request body"),
  LOG_LEVEL: T.Union([T.Literal("debug"), T.Literal("info"), T.Literal("warn"), T.Literal("error")], {
    default: "info",
  }),
  METRICS_TOKEN: T.Optional(
    T.String({ minLength: 16, description: "when set, GET /metrics requires Authorization: Bearer <token>" }),
  ),
  SHUTDOWN_TIMEOUT_SECONDS: Int(10, 1, 300, "how long in-flight requests may finish on SIGTERM"),
  REUSE_PORT: T.Boolean({
    default: false,
    description: "share PORT with processes that set it too (SO_REUSEPORT); else a busy port stops start-up",
  }),
};

type ServerSettings = SettingsOf<typeof serverSettings>;

export interface HttpConfig {
  host: string;
  port: number;
  publicUrl: string;
  appUrl: string;
  baseDomain: string | null;
  trustedProxies: string[];
  /** Browser origins allowed to call with credentials (CORS), exact and normalised. */
  corsOrigins: string[];
  maxBodyBytes: number;
  metricsToken: string | null;
  shutdownTimeoutSeconds: number;
  reusePort: boolean;
}

export type LogLevel = ServerSettings["LOG_LEVEL"];

/**
 * Emailed links are built from these URLs; in production a default would mail links to localhost,
 * so both must be given.
 */
function requireUrlsInProduction(env: ServerSettings, production: boolean) {
  if (!production) return;
  for (const name of ["PUBLIC_URL", "APP_URL"] as const) {
    if (env[name] === undefined) {
      throw invalid(`${name} is required when NODE_ENV=production (the base of the links mailed to users).`);
    }
  }
}

export function httpConfig(env: ServerSettings, production: boolean): HttpConfig {
  requireUrlsInProduction(env, production);
  const trustedProxies = parseTrustedProxies(env.TRUSTED_PROXIES);
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
  return {
    host: env.HOST,
    port: env.PORT,
    publicUrl,
    appUrl: (env.APP_URL ?? publicUrl).replace(/\/+$/, ""),
    baseDomain: env.BASE_DOMAIN?.toLowerCase() ?? null,
    trustedProxies,
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS),
    maxBodyBytes: env.MAX_BODY_BYTES,
    metricsToken: env.METRICS_TOKEN ?? null,
    shutdownTimeoutSeconds: env.SHUTDOWN_TIMEOUT_SECONDS,
    reusePort: env.REUSE_PORT,
  };
}
