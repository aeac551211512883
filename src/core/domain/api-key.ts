import { randomBytes } from "node:crypto";
import { ValidationError } from "./errors";
import { inCatalogOrder, type Permission } from "./permissions";

/**
 * What a key is for: `api` calls the REST API with its permissions; `client` lets an Unleash
 * server-side SDK read its tenant's flag definitions; `frontend` lets a browser SDK read evaluated
 * results only, from the origins it lists.
 */
export const API_KEY_KINDS = ["api", "client", "frontend"] as const;
export type ApiKeyKind = (typeof API_KEY_KINDS)[number];

/** The prefix that tells a key's kind at a glance (and to secret scanners). */
export const API_KEY_PREFIXES: Readonly<Record<ApiKeyKind, string>> = {
  api: "sk_",
  client: "ck_",
  frontend: "fk_",
};

/** 320 random bits, so the secret keeps well over 256 unknown bits after its displayed characters. */
const SECRET_BYTES = 40;
const SECRET_BODY = /^[A-Za-z0-9_-]{54}$/;
/** How many characters after the kind prefix a list shows, to tell keys apart. */
const DISPLAYED_CHARACTERS = 8;

/** Who created a key: a user (whose current permissions bound the key's), or an operator at the CLI. */
export interface ApiKeyCreator {
  type: "user" | "cli";
  id: string;
}

/** A key as listed: everything but its secret, which is stored only as a hash. */
export interface ApiKey {
  id: string;
  tenantId: string;
  kind: ApiKeyKind;
  name: string;
  /** The kind prefix and the first characters of the secret. */
  prefix: string;
  permissions: Permission[];
  allowedOrigins: string[];
  createdBy: ApiKeyCreator;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** A fresh secret for a key of `kind`: its prefix and 54 base64url characters. */
export function newApiKeySecret(kind: ApiKeyKind): string {
  return API_KEY_PREFIXES[kind] + randomBytes(SECRET_BYTES).toString("base64url");
}

/** The kind a presented token claims by its shape, or null when it is no key of ours. */
export function apiKeyKindOf(token: string): ApiKeyKind | null {
  for (const kind of API_KEY_KINDS) {
    const prefix = API_KEY_PREFIXES[kind];
    if (token.startsWith(prefix) && SECRET_BODY.test(token.slice(prefix.length))) return kind;
  }
  return null;
}

export function displayPrefix(kind: ApiKeyKind, secret: string): string {
  const prefix = API_KEY_PREFIXES[kind];
  return secret.slice(0, prefix.length + DISPLAYED_CHARACTERS);
}

/**
 * The no-escalation rule: a key may hold only permissions its creator holds. Returns the requested
 * permissions in catalog order, or refuses naming the ones beyond the ceiling.
 */
export function permissionsWithin(
  requested: readonly Permission[],
  ceiling: ReadonlySet<Permission>,
): Permission[] {
  const beyond = requested.filter((permission) => !ceiling.has(permission));
  if (beyond.length > 0) {
    throw new ValidationError("PERMISSION_NOT_HELD", "A key cannot hold permissions its creator lacks.", [
      { field: "permissions", message: `Not held by the creator: ${inCatalogOrder(beyond).join(", ")}.` },
    ]);
  }
  return inCatalogOrder(requested);
}

const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;

/**
 * A frontend key's browser origins: exact origins (`https://app.example.com`), lower-cased and
 * without duplicates. Other kinds are not called from browsers and list none.
 */
export function allowedOriginsFor(kind: ApiKeyKind, origins: readonly string[] | undefined): string[] {
  if (kind !== "frontend") {
    if (origins && origins.length > 0) {
      throw new ValidationError("ORIGINS_NOT_ALLOWED", "Only frontend keys list allowed origins.", [
        { field: "allowedOrigins", message: "Only frontend keys list allowed origins." },
      ]);
    }
    return [];
  }
  const normalised = [...new Set((origins ?? []).map((origin) => origin.toLowerCase()))];
  const invalid = normalised.filter((origin) => !ORIGIN.test(origin));
  if (invalid.length > 0) {
    throw new ValidationError("INVALID_ORIGIN", "Allowed origins are scheme://host[:port].", [
      { field: "allowedOrigins", message: `Not an origin: ${invalid.join(", ")}.` },
    ]);
  }
  return normalised;
}
