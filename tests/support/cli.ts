import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CliIo } from "../../cli/io";
import { runSaasctl } from "../../cli/program";
import { loadConfig } from "../../src/config";
import { disposeAtExit, testDatabase, testKeyPrefix, testRedisUrl } from "./resources";

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface CliRunOptions {
  /** Variables over the harness's environment, for this run. */
  env?: Record<string, string>;
  /** Standard input's whole text. */
  stdin?: string;
  /** Standard input and output are a terminal. */
  tty?: boolean;
  /** The lines typed at the terminal's prompts, in order. */
  answers?: string[];
}

/** A command running in this process: what it printed so far, and the way to interrupt it. */
export interface RunningCli {
  stdout(): string;
  /** As SIGINT would. */
  interrupt(): void;
  done: Promise<CliResult>;
}

const OPERATOR_PASSWORD = "Ops-Password-123";

/** The OS user running the tests, as the system names them: audit events name the operator so. */
export const OS_USER = Bun.spawnSync(["id", "-un"]).stdout.toString().trim();

/** Waits until `check` holds, polling; fails after 20 s naming `what`. */
export async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
}

/**
 * saasctl in this process, through the same program the binary runs, on the test process's shared
 * database (which no command closes) and the test Redis when there is one. The environment is the
 * test's own, never the developer's shell; colour is off unless a run turns NO_COLOR off on a tty.
 * The platform tenant is seeded, with an operator admin of this harness's own.
 */
export async function cliHarness(env: Record<string, string> = {}) {
  const database = await testDatabase();
  const redisUrl = await testRedisUrl();
  const dir = await mkdtemp(join(tmpdir(), "saasctl-"));
  disposeAtExit(() => rm(dir, { recursive: true, force: true }));
  const baseEnv: Record<string, string> = {
    NODE_ENV: "test",
    BCRYPT_COST: "4",
    JWT_SECRET: "cli-test-secret-that-is-long-enough-for-hs256-0123456789",
    MAIL_OUTBOX_PATH: join(dir, "outbox.jsonl"),
    NO_COLOR: "1",
    ...(redisUrl ? { REDIS_URL: redisUrl, CACHE_KEY_PREFIX: testKeyPrefix() } : {}),
    ...env,
  };
  let databaseOpens = 0;
  let counter = 0;
  const unique = (prefix: string) =>
    `${prefix}-${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 5)}`;

  function start(args: string[], options: CliRunOptions = {}): RunningCli {
    let stdout = "";
    let stderr = "";
    const interruption = new AbortController();
    const answers = [...(options.answers ?? [])];
    const runEnv = { ...baseEnv, ...options.env };
    const tty = Boolean(options.tty);
    const io: CliIo = {
      stdout: {
        write: (text) => {
          stdout += text;
        },
        isTTY: tty,
      },
      stderr: {
        write: (text) => {
          stderr += text;
        },
        isTTY: tty,
      },
      stdin: { isTTY: tty, text: async () => options.stdin ?? "" },
      env: runEnv,
      async ask(question) {
        stderr += question;
        return answers.shift() ?? "";
      },
      interrupted: () => interruption.signal,
    };
    const done = runSaasctl(args, {
      io,
      config: () => loadConfig(runEnv),
      openDatabase: async () => {
        databaseOpens++;
        return { ...database, close: async () => {} };
      },
    }).then((code) => ({ stdout, stderr, code }));
    return { stdout: () => stdout, interrupt: () => interruption.abort(), done };
  }

  const run = (args: string[], options?: CliRunOptions) => start(args, options).done;

  /** The command must succeed; its stdout parsed as JSON (--json is added). */
  async function json(args: string[], options?: CliRunOptions): Promise<any> {
    const res = await run([...args, "--json"], options);
    if (res.code !== 0) throw new Error(`saasctl ${args.join(" ")} exited ${res.code}: ${res.stderr}`);
    return JSON.parse(res.stdout);
  }

  /** Every item of a listing, following its cursor from page to page. */
  async function all(args: string[]): Promise<any[]> {
    const items: any[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: any[]; nextCursor: string | null } = await json([
        ...args,
        "--limit",
        "200",
        ...(cursor ? ["--cursor", cursor] : []),
      ]);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  const adminEmail = `${unique("ops")}@example.com`;
  const seeded = await run(["seed", "--email", adminEmail, "--password", OPERATOR_PASSWORD]);
  if (seeded.code !== 0) throw new Error(`seed failed: ${seeded.stderr}`);

  return {
    run,
    start,
    json,
    all,
    unique,
    adminEmail,
    db: database.db,
    outboxPath: baseEnv.MAIL_OUTBOX_PATH!,
    /** How many times a command has opened the database so far. */
    databaseOpens: () => databaseOpens,
  };
}

export type CliHarness = Awaited<ReturnType<typeof cliHarness>>;
