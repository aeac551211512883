/**
 * The value of one sample in a Prometheus text exposition: the series named `name` whose labels are
 * exactly `labels` (0 when the series is absent, as Prometheus reads a counter not yet incremented).
 */
export function sampleValue(exposition: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of exposition.split("\n")) {
    const match = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [
        m[1],
        m[2],
      ]),
    );
    const keys = Object.keys(labels);
    if (keys.length === Object.keys(found).length && keys.every((key) => found[key] === labels[key])) {
      return Number(match[3]);
    }
  }
  return 0;
}

/** Runs `promtool check metrics` on an exposition: null when promtool is not installed. */
export async function promtoolCheck(
  exposition: string,
): Promise<{ exitCode: number; output: string } | null> {
  const promtool = Bun.which("promtool");
  if (!promtool) return null;
  const child = Bun.spawn([promtool, "check", "metrics"], { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
  child.stdin.write(exposition);
  await child.stdin.end();
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { exitCode, output: stdout + stderr };
}
