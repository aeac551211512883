/** A minimal environment for a child process under test: nothing leaks in from the developer's shell. */
export function childEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NO_COLOR: "1", ...env };
}

/**
 * The command that runs `script` under Bun in a child process. Bun loads a `.env` from the working
 * directory into every process, beneath what the parent passed: without --no-env-file a developer's
 * `.env` (DATABASE_URL, REDIS_URL, SENDGRID_API_KEY) would redirect the server or CLI under test.
 */
export function bunCommand(script: string, ...args: string[]): string[] {
  return ["bun", "--no-env-file", script, ...args];
}
