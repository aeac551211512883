import { beforeAll, describe, expect, test } from "bun:test";
import { bunCommand, childEnv } from "../support/child-env";
import { isolatedDatabaseEnv } from "../support/resources";
import { saasctl as run } from "../support/saasctl";
import { allowDatabaseStartup } from "../support/slow-setup";

/**
 * saasctl as a process, as an operator's shell runs it: exit codes, the streams, a terminal, signals
 * and the embedded database's claim. Every command's behaviour is tested in process (the other files).
 */

allowDatabaseStartup();

const CLI = new URL("../../cli/saasctl.ts", import.meta.url).pathname;

let databaseEnv: Record<string, string>;
const saasctl = (args: string[], env: Record<string, string> = {}, options?: Parameters<typeof run>[2]) =>
  run(args, { ...databaseEnv, ...env }, options);

beforeAll(async () => {
  databaseEnv = await isolatedDatabaseEnv();
});

describe("saasctl as a process", () => {
  test("on an empty database commands ask for migrate, then seed; seed --json prints its result", async () => {
    const unmigrated = await saasctl(["tenants", "list"]);
    expect(unmigrated).toEqual({
      code: 1,
      stdout: "",
      stderr: "saasctl: The database has no schema yet: run `saasctl migrate`, then `saasctl seed`.\n",
    });
    const migrated = await saasctl(["migrate"]);
    expect(migrated).toMatchObject({ code: 0, stderr: "" });
    expect(migrated.stdout).toStartWith("migrations applied");
    const unseeded = await saasctl(["tenants", "list"]);
    expect(unseeded).toMatchObject({
      code: 1,
      stderr: "saasctl: PLATFORM_NOT_SEEDED: There is no platform tenant yet: run `saasctl seed`.\n",
    });

    const seeded = await saasctl([
      "seed",
      "--email",
      "ops@example.com",
      "--password",
      "Ops-Password-123",
      "--json",
    ]);
    expect(seeded).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(seeded.stdout)).toEqual({
      tenantCreated: true,
      adminCreated: true,
      adminEmail: "ops@example.com",
    });
    const again = await saasctl(["seed", "--email", "ops@example.com", "--password", "Other-Password-123"]);
    expect(again).toEqual({
      code: 0,
      stdout: "platform tenant: exists\nadmin ops@example.com: exists (left unchanged)\n",
      stderr: "",
    });
  });

  test("on a terminal the table is coloured unless NO_COLOR is set, and a confirmation is asked and read", async () => {
    const coloured = await saasctl(["tenants", "list"], { NO_COLOR: "" }, { tty: true });
    expect(coloured.code).toBe(0);
    expect(coloured.stdout).toContain("\x1b[1mSLUG"); // bold header
    expect(coloured.stdout).toContain("\x1b[32mactive");
    const plain = await saasctl(["tenants", "list"], {}, { tty: true });
    expect(plain.stdout).toMatch(/^SLUG +NAME/m);
    expect(plain.stdout).not.toContain("\x1b[");

    // script(1) puts stdout and stderr on one terminal: the question, then the refusal.
    const declined = await saasctl(["tenants", "cancel", "platform"], {}, { tty: true, stdin: "n\n" });
    expect(declined.code).toBe(1);
    expect(declined.stdout).toContain(
      "Cancel tenant platform (Platform)? This is final and ends every session. [y/N]",
    );
    expect(declined.stdout).toContain("saasctl: not confirmed; nothing changed.");
  });

  test("audit tail --follow holds an embedded database until SIGINT, then exits 0 with nothing on stderr", async () => {
    const follow = Bun.spawn(bunCommand(CLI, "audit", "tail", "--follow", "--json", "-n", "1"), {
      env: childEnv({ BCRYPT_COST: "4", ...databaseEnv }),
      stdout: "pipe",
      stderr: "pipe",
    });
    const reader = follow.stdout.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(JSON.parse(first.split("\n")[0]!)).toMatchObject({
      seq: expect.any(Number),
      action: expect.any(String),
    });
    if (!databaseEnv.DATABASE_URL) {
      const held = await saasctl(["migrate"]);
      expect(held.code).toBe(3);
      expect(held.stderr).toContain(
        `it is in use by saasctl (pid ${follow.pid}); stop it, or set DATABASE_URL`,
      );
    }
    follow.kill("SIGINT");
    reader.releaseLock();
    expect(await follow.exited).toBe(0);
    expect(await new Response(follow.stderr).text()).toBe("");
  });

  test("an unreachable database exits 3 with one line saying why", async () => {
    const res = await saasctl(["migrate"], {
      DATABASE_URL: "postgres://postgres@127.0.0.1:1/none",
      DB_CONNECT_TIMEOUT_SECONDS: "2",
    });
    expect(res.code).toBe(3);
    expect(res.stdout).toBe("");
    expect(res.stderr.trim().split("\n")).toHaveLength(1);
    expect(res.stderr).toContain("Cannot open the PostgreSQL at DATABASE_URL");
  });

  test("a usage error exits 2 with the help on stderr; --help exits 0 with it on stdout", async () => {
    const unknown = await saasctl(["no-such-command"]);
    expect(unknown).toMatchObject({ code: 2, stdout: "" });
    expect(unknown.stderr).toContain("error: unknown command 'no-such-command'");
    const help = await saasctl(["seed", "--help"]);
    expect(help).toMatchObject({ code: 0, stderr: "" });
    expect(help.stdout).toContain("Example:");
  });

  test("a bad setting exits 2 naming the variable", async () => {
    const res = await saasctl(["migrate"], { BCRYPT_COST: "99" });
    expect(res).toMatchObject({ code: 2, stdout: "" });
    expect(res.stderr).toContain("BCRYPT_COST");
  });
});
