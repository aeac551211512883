import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { embeddedMigrations } from "../../src/adapters/db/embedded-migrations";
import { renderEmbeddedMigrations } from "../../src/adapters/db/render-embedded-migrations";

const root = new URL("../../", import.meta.url);

describe("embedded migrations", () => {
  test("match drizzle/ exactly (run `bun run db:generate` after changing the schema)", () => {
    const journal = JSON.parse(readFileSync(new URL("drizzle/meta/_journal.json", root), "utf8"));
    const module = readFileSync(new URL("src/adapters/db/embedded-migrations.ts", root), "utf8");
    expect(module).toBe(renderEmbeddedMigrations(journal));
    for (const migration of embeddedMigrations) {
      expect(migration.sql).toBe(readFileSync(new URL(`drizzle/${migration.tag}.sql`, root), "utf8"));
    }
  });
});
