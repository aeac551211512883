import { describe, expect, test } from "bun:test";
import type { CliRuntime } from "../../cli/context";
import { buildProgram, runSaasctl } from "../../cli/program";
import { version } from "../../package.json";
import { saasctl } from "../support/saasctl";

/** A runtime whose terminal is recorded, and which fails if a command reaches for config or a database. */
function helpRuntime() {
  const out = { stdout: "", stderr: "" };
  const untouchable = () => {
    throw new Error("help and version must need no configuration or database");
  };
  const runtime: CliRuntime = {
    io: {
      stdout: {
        write: (text) => {
          out.stdout += text;
        },
      },
      stderr: {
        write: (text) => {
          out.stderr += text;
        },
      },
      stdin: { isTTY: false, text: async () => "" },
      env: { NO_COLOR: "1" },
      ask: async () => "",
      interrupted: () => new AbortController().signal,
    },
    config: untouchable,
    openDatabase: untouchable,
  };
  return { runtime, out };
}

/** saasctl in this process, on helpRuntime. */
async function run(args: string[]) {
  const { runtime, out } = helpRuntime();
  const code = await runSaasctl(args, runtime);
  return { code, ...out };
}

/** The lines of the "Examples:" block of a help text. */
function exampleLines(help: string): string[] {
  const block = help.split("\nExamples:\n")[1] ?? "";
  return block
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

describe("saasctl --version", () => {
  test.each(["--version", "-V"])("%s prints the package version and exits 0", async (flag) => {
    expect(await run([flag])).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  test("the process prints it too", async () => {
    expect(await saasctl(["--version"], {})).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });
});

describe("the help of each command group shows examples", () => {
  const program = buildProgram(helpRuntime().runtime);
  const groups = program.commands
    .filter((command) => command.commands.length > 0)
    .map((command) => command.name());

  test("every group is covered", () => {
    expect(groups.sort()).toEqual(["api-keys", "audit", "flags", "tenants", "users", "webhooks"]);
  });

  test.each(groups)("saasctl %s --help: examples that call its own subcommands", async (group) => {
    const { code, stdout, stderr } = await run([group, "--help"]);
    expect([code, stderr]).toEqual([0, ""]);
    const lines = exampleLines(stdout);
    expect(lines.length).toBeGreaterThan(0);
    const subcommands = program.commands
      .find((command) => command.name() === group)!
      .commands.map((c) => c.name());
    for (const line of lines) {
      const [saasctlWord, groupWord, subcommand] = line.split(" ");
      expect([saasctlWord, groupWord]).toEqual(["saasctl", group]);
      expect(subcommands).toContain(subcommand!);
    }
  });

  test("saasctl --help ends with examples, and names --version", async () => {
    const { code, stdout } = await run(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("-V, --version");
    expect(exampleLines(stdout)).toContain("saasctl tenants list");
  });
});
