import type { Subprocess } from "bun";
import { bunCommand, childEnv } from "./child-env";

const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;

export type ServerProcess = Subprocess<"ignore", "pipe", "pipe"> & {
  /** The stdout lines so far; the pipe is drained to the end (a closed pipe would fail the server's log writes). */
  lines: string[];
  /** Resolves with the URL from the "server.started" line. */
  url(): Promise<string>;
};

const running: Subprocess[] = [];

/** Starts `bun src/main.ts` on a free port with a minimal environment plus `env`. */
export function startServer(env: Record<string, string>): ServerProcess {
  const child = Bun.spawn(bunCommand(MAIN), {
    env: childEnv({ HOST: "127.0.0.1", PORT: "0", ...env }),
    stdout: "pipe",
    stderr: "pipe",
  });
  running.push(child);
  const lines: string[] = [];
  const decoder = new TextDecoder();
  let partial = "";
  (async () => {
    for await (const chunk of child.stdout) {
      const parts = (partial + decoder.decode(chunk)).split("\n");
      partial = parts.pop() ?? "";
      lines.push(...parts);
    }
  })();
  async function url(): Promise<string> {
    for (;;) {
      const line = lines.find((l) => l.includes('"server.started"'));
      if (line) return JSON.parse(line).url.replace("0.0.0.0", "127.0.0.1");
      if (child.exitCode !== null)
        throw new Error(`server exited before listening: ${await new Response(child.stderr).text()}`);
      await Bun.sleep(20);
    }
  }
  return Object.assign(child, { lines, url });
}

/** Kills every server this process started and has not stopped. */
export function killServers() {
  for (const child of running.splice(0)) child.kill("SIGKILL");
}

/** Waits (bounded) for a stdout line containing `text`. */
export async function waitForLine(server: ServerProcess, text: string, timeoutMs = 5_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = server.lines.find((l) => l.includes(text));
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`no line with ${text} within ${timeoutMs} ms`);
    await Bun.sleep(20);
  }
}
