import { createInterface } from "node:readline/promises";
import type { Command } from "commander";
import { NotConfirmedError } from "./errors";

/**
 * Asks a yes/no question on the terminal and returns when the answer is yes. Without a terminal
 * there is nobody to ask: a usage error (pass --yes). A "no" ends the command with exit code 1.
 */
export async function confirmOrRefuse(command: Command, question: string): Promise<void> {
  if (!process.stdin.isTTY) {
    command.error("error: stdin is not a terminal, so nobody can confirm: pass --yes.", {
      exitCode: 2,
      code: "saasctl.confirmationRequired",
    });
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`${question} [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new NotConfirmedError();
  } finally {
    prompt.close();
  }
}
