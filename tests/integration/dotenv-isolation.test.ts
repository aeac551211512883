import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { childEnv } from "../support/child-env";

const support = (file: string) => new URL(`../support/${file}`, import.meta.url).pathname;
const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;

// What a developer's .env may hold: had it reached a process under test, that process would
// connect to port 1 and say so.
const DOTENV = "DATABASE_URL=postgres://dotenv-leak@127.0.0.1:1/leak\nSENDGRID_API_KEY=SG.dotenv-leak\n";
// An embedded database path that fails at once (no 6 s initdb): the error names the embedded database.
const UNUSABLE_EMBEDDED = { PGLITE_DATA_DIR: "/dev/null" };

// A test file run by `bun test` in the directory holding the .env, through the harness's own helpers.
const PROBE = `
import { expect, test } from "bun:test";
import { saasctl } from ${JSON.stringify(support("saasctl.ts"))};
import { startServer } from ${JSON.stringify(support("server-process.ts"))};

test("the harness ignores the .env", async () => {
  expect(process.env.DATABASE_URL).toBeUndefined();
  expect(process.env.SENDGRID_API_KEY).toBeUndefined();
  const cli = await saasctl(["migrate"], ${JSON.stringify(UNUSABLE_EMBEDDED)});
  expect(cli.stderr).toContain("Cannot open the embedded database at /dev/null");
  const server = startServer(${JSON.stringify(UNUSABLE_EMBEDDED)});
  expect(await server.exited).toBe(1);
  expect(await new Response(server.stderr).text()).toContain("Cannot open the embedded database at /dev/null");
});
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "saas-dotenv-"));
  await writeFile(join(dir, ".env"), DOTENV);
  await writeFile(join(dir, "probe.test.ts"), PROBE);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function run(command: string[]) {
  const child = Bun.spawn(command, {
    cwd: dir,
    env: childEnv(UNUSABLE_EMBEDDED),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { output: stdout + stderr, code };
}

describe("a .env in the working directory", () => {
  test("reaches a plain bun process started there (why the harness guards against it)", async () => {
    const { output, code } = await run(["bun", MAIN]);
    expect(code).toBe(1);
    expect(output).toContain("Cannot open the PostgreSQL at DATABASE_URL: connect ECONNREFUSED 127.0.0.1:1");
  });

  test("reaches neither the test process's settings nor the server and CLI the harness starts", async () => {
    const { output, code } = await run([
      "bun",
      "test",
      "--preload",
      support("preload.ts"),
      "./probe.test.ts",
    ]);
    expect(output).toContain("(pass) the harness ignores the .env");
    expect(code).toBe(0);
  });
});
