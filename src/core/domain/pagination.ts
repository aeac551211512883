import { ValidationError } from "./errors";

export const PAGE_LIMIT_DEFAULT = 50;
export const PAGE_LIMIT_MAX = 200;

export interface PageRequest {
  limit: number;
  /** The id after which the page starts (ids are time-ordered UUIDv7), or null for the first page. */
  after: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Reads `limit` and an opaque `cursor` (base64url of the last id seen). A bad cursor is 422. */
export function pageRequest(limit: number | undefined, cursor: string | undefined): PageRequest {
  if (cursor === undefined) return { limit: limit ?? PAGE_LIMIT_DEFAULT, after: null };
  const after = Buffer.from(cursor, "base64url").toString("utf8");
  if (!UUID.test(after)) {
    throw new ValidationError("INVALID_CURSOR", "The cursor is not one this API issued.", [
      { field: "cursor", message: "Not a cursor from a previous page." },
    ]);
  }
  return { limit: limit ?? PAGE_LIMIT_DEFAULT, after };
}

/** Builds a page from `limit + 1` rows fetched in id order: the extra row only says there is more. */
export function toPage<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  const more = rows.length > limit;
  return { items, nextCursor: more ? Buffer.from(items.at(-1)!.id).toString("base64url") : null };
}
