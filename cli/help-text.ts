/** The "Examples:" block commander prints after a command's help. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  ${line}`).join("\n")}`;
}

/** The "Example:" line commander prints after a command's help. */
export function example(line: string): string {
  return `\nExample:\n  ${line}`;
}
