import type { IdGenerator } from "../../core/ports/id-generator";

export const uuidv7Ids: IdGenerator = { next: () => Bun.randomUUIDv7() };
