import type { Command } from "commander";
import { NotConfirmedError } from "./errors";
import type { CliIo } from "./io";

/**
 * Asks a yes/no question on the terminal and returns when the answer is yes. Without a terminal
 * there is nobody to ask: a usage error (pass --yes). A "no" ends the command with exit code 1.
 */
export async function confirmOrRefuse(command: Command, io: CliIo, question: string): Promise<void> {
  if (!io.stdin.isTTY) {
    command.error("error: stdin is not a terminal, so nobody can confirm: pass --yes.", {
      exitCode: 2,
      code: "saasctl.confirmationRequired",
    });
  }
  const answer = await io.ask(`${question} [y/N] `);
  if (!/^y(es)?$/i.test(answer.trim())) throw new NotConfirmedError();
}
