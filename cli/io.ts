import { createInterface } from "node:readline/promises";

/** Where a command writes text. */
export interface Sink {
  write(text: string): void;
  isTTY?: boolean;
  columns?: number;
}

/** The terminal and environment as commands see them: the process's, or a test's stand-ins. */
export interface CliIo {
  stdout: Sink;
  stderr: Sink;
  stdin: { isTTY: boolean; text(): Promise<string> };
  env: Record<string, string | undefined>;
  /** Asks on the terminal, the question on stderr, and resolves with the line typed. */
  ask(question: string): Promise<string>;
  /** Aborted on SIGINT or SIGTERM. Only from the first call on are they caught instead of ending the process. */
  interrupted(): AbortSignal;
}

function sink(stream: NodeJS.WriteStream): Sink {
  return {
    write: (text) => void stream.write(text),
    get isTTY() {
      return Boolean(stream.isTTY);
    },
    get columns() {
      return stream.isTTY ? stream.columns : undefined;
    },
  };
}

let interruption: AbortController | undefined;

export const processIo: CliIo = {
  stdout: sink(process.stdout),
  stderr: sink(process.stderr),
  stdin: { isTTY: Boolean(process.stdin.isTTY), text: () => Bun.stdin.text() },
  env: process.env,
  async ask(question) {
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await prompt.question(question);
    } finally {
      prompt.close();
    }
  },
  interrupted() {
    if (!interruption) {
      const controller = new AbortController();
      process.once("SIGINT", () => controller.abort());
      process.once("SIGTERM", () => controller.abort());
      interruption = controller;
    }
    return interruption.signal;
  },
};
