/**
 * `bun run db:generate -- --name <change>`: drizzle-kit writes the SQL migration into drizzle/, then
 * the migrations are re-embedded so the server and the compiled binary carry them, and the embedded
 * database's template is made again from them (scripts/pglite-template.ts).
 */
const generate = Bun.spawnSync(["bun", "x", "drizzle-kit", "generate", ...process.argv.slice(2)], {
  stdio: ["inherit", "inherit", "inherit"],
});
if (generate.exitCode !== 0) process.exit(generate.exitCode ?? 1);
await import("./embed-migrations");
// A process of its own: it must load the migrations just written, not the ones this one imported.
const template = Bun.spawnSync(["bun", new URL("./pglite-template.ts", import.meta.url).pathname], {
  stdio: ["inherit", "inherit", "inherit"],
});
process.exit(template.exitCode ?? 1);
