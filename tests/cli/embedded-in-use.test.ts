import { describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLAIM_FILE } from "../../src/adapters/db/data-dir-claim";
import { bunCommand, childEnv } from "../support/child-env";
import { disposeAtExit } from "../support/resources";
import { saasctl } from "../support/saasctl";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;

/** Resolves once the server logs that it listens. Its stdout is drained to the end: a closed pipe would fail its log writes. */
function untilListening(child: Bun.Subprocess<"ignore", "pipe", "pipe">): Promise<void> {
  return new Promise((resolve, reject) => {
    const decoder = new TextDecoder();
    let seen = "";
    (async () => {
      for await (const chunk of child.stdout) {
        seen += decoder.decode(chunk);
        if (seen.includes('"server.started"')) resolve();
      }
      reject(new Error(`server exited before listening: ${await new Response(child.stderr).text()}`));
    })();
  });
}

describe("the embedded database held by a running server", () => {
  test("saasctl says so in one line and exits 3; once the server is gone it works", async () => {
    const dir = await mkdtemp(join(tmpdir(), "saas-pglite-held-"));
    disposeAtExit(() => rm(dir, { recursive: true, force: true }));
    const env = { PGLITE_DATA_DIR: dir };
    const server = Bun.spawn(bunCommand(MAIN), {
      env: childEnv({ ...env, HOST: "127.0.0.1", PORT: "0", BCRYPT_COST: "4" }),
      stdout: "pipe",
      stderr: "pipe",
    });
    try {
      await untilListening(server);
      const res = await saasctl(["migrate"], env);
      expect(res.code).toBe(3);
      expect(res.stdout).toBe("");
      expect(res.stderr).toBe(
        `saasctl: Cannot open the embedded database at ${dir}: it is in use by a running server (pid ${server.pid}); stop it, or set DATABASE_URL to use PostgreSQL\n`,
      );
    } finally {
      server.kill("SIGKILL"); // no clean shutdown: its claim stays behind, naming a dead process
      await server.exited;
    }
    expect(await Bun.file(join(dir, CLAIM_FILE)).exists()).toBe(true);
    const after = await saasctl(["migrate"], env);
    expect(after).toMatchObject({ code: 0, stdout: "migrations applied (pglite)\n" });
    expect(await Bun.file(join(dir, CLAIM_FILE)).exists()).toBe(false); // released on exit
  });
});
