/**
 * `bun run db:generate -- --name <change>`: drizzle-kit writes the SQL migration into drizzle/, then
 * the migrations are re-embedded so the server and the compiled binary carry them.
 */
const generate = Bun.spawnSync(["bun", "x", "drizzle-kit", "generate", ...process.argv.slice(2)], {
  stdio: ["inherit", "inherit", "inherit"],
});
if (generate.exitCode !== 0) process.exit(generate.exitCode ?? 1);
await import("./embed-migrations");
