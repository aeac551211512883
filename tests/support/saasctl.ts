import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DatabaseHandle } from "../../src/adapters/db/database";
import { openPglite } from "../../src/adapters/db/open-pglite";
import { openPostgres } from "../../src/adapters/db/open-postgres";
import { bunCommand, childEnv } from "./child-env";
import { disposeAtExit, isolatedDatabaseEnv } from "./resources";

const CLI = new URL("../../cli/saasctl.ts", import.meta.url).pathname;

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs saasctl as a process. `tty` runs it under script(1), so stdin and stdout are a terminal. */
export async function saasctl(
  args: string[],
  env: Record<string, string>,
  options: { stdin?: string; tty?: boolean } = {},
): Promise<CliResult> {
  const command = options.tty
    ? [
        "script",
        "-qec",
        bunCommand(CLI, ...args)
          .map((a) => `'${a.replaceAll("'", "'\\''")}'`)
          .join(" "),
        "/dev/null",
      ]
    : bunCommand(CLI, ...args);
  const child = Bun.spawn(command, {
    env: childEnv({ BCRYPT_COST: "4", ...env }),
    stdin: options.stdin === undefined ? "ignore" : new Blob([options.stdin]),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { stdout, stderr, code };
}

/** Like saasctl, but the command must succeed; returns its stdout parsed as JSON (pass --json). */
export async function saasctlJson(args: string[], env: Record<string, string>): Promise<any> {
  const res = await saasctl([...args, "--json"], env);
  if (res.code !== 0) throw new Error(`saasctl ${args.join(" ")} exited ${res.code}: ${res.stderr}`);
  return JSON.parse(res.stdout);
}

/**
 * Environment for the CLI on a database of its own (see isolatedDatabaseEnv), migrated and seeded,
 * with the outbox in a directory of its own.
 */
export async function seededCliEnv(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), "saasctl-"));
  disposeAtExit(() => rm(dir, { recursive: true, force: true }));
  const env = { ...(await isolatedDatabaseEnv()), MAIL_OUTBOX_PATH: join(dir, "outbox.jsonl"), ...extra };
  const seeded = await saasctl(["seed", "--password", "Ops-Password-123"], env);
  if (seeded.code !== 0) throw new Error(`seed failed: ${seeded.stderr}`);
  return env;
}

/** Opens the CLI's database in this process for `read`, then closes it (PGlite allows one process). */
export async function readCliDatabase<T>(
  env: Record<string, string>,
  read: (db: DatabaseHandle["db"]) => Promise<T>,
): Promise<T> {
  const handle = env.DATABASE_URL
    ? await openPostgres({
        url: env.DATABASE_URL,
        maxConnections: 1,
        statementTimeoutMs: 10_000,
        connectTimeoutSeconds: 5,
      })
    : await openPglite(env.PGLITE_DATA_DIR!, "the test process");
  try {
    return await read(handle.db);
  } finally {
    await handle.close();
  }
}
