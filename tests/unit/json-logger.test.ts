import { expect, test } from "bun:test";
import { resolve } from "node:path";
import { bufferedLines, jsonLogger } from "../../src/adapters/system/json-logger";

function written(minLevel: "debug" | "info") {
  const lines: string[] = [];
  const logger = jsonLogger(minLevel, (line) => void lines.push(line));
  logger.debug("http.request", { route: "/health" });
  logger.info("http.request", { route: "/api/v1/users/me" });
  return lines.map((line) => JSON.parse(line)).map(({ level, route }) => ({ level, route }));
}

test("debug lines (health probes) are dropped at LOG_LEVEL=info and written at LOG_LEVEL=debug", () => {
  expect(written("info")).toEqual([{ level: "info", route: "/api/v1/users/me" }]);
  expect(written("debug")).toEqual([
    { level: "debug", route: "/health" },
    { level: "info", route: "/api/v1/users/me" },
  ]);
});

test("a line is time, level, event, then the fields in their order, as one JSON object per line", () => {
  const lines: string[] = [];
  const logger = jsonLogger("info", (line) => void lines.push(line));
  const fields = {
    requestId: "r1",
    method: "GET",
    route: "/x",
    status: 200,
    tenantId: null,
    note: 'a "b"\n',
  };
  logger.info("http.request", fields);
  logger.warn("server.stopped", {});
  const [line, empty] = lines;
  expect(line!.endsWith("\n")).toBe(true);
  const parsed = JSON.parse(line!);
  expect(line).toBe(
    `${JSON.stringify({ time: parsed.time, level: "info", event: "http.request", ...fields })}\n`,
  );
  expect(new Date(parsed.time).toISOString()).toBe(parsed.time);
  expect(Math.abs(Date.parse(parsed.time) - Date.now())).toBeLessThan(1_000);
  expect(JSON.parse(empty!)).toEqual({ time: expect.any(String), level: "warn", event: "server.stopped" });
});

test("buffered: lines written in one call when the event loop turns; an error goes out at once, after them", async () => {
  const out: string[] = [];
  const err: string[] = [];
  const write = bufferedLines({ out: { write: (c) => out.push(c) }, err: { write: (c) => err.push(c) } });
  write("a\n", "info");
  write("b\n", "warn");
  expect(out).toEqual([]);
  await new Promise((resolve) => setImmediate(resolve));
  expect(out).toEqual(["a\nb\n"]);
  write("c\n", "info");
  write("boom\n", "error");
  expect(out).toEqual(["a\nb\n", "c\n"]);
  expect(err).toEqual(["boom\n"]);
});

test("buffered: past maxBytes the waiting lines are written without waiting for the turn", () => {
  const out: string[] = [];
  const write = bufferedLines({ out: { write: (c) => out.push(c) }, maxBytes: 10 });
  write("12345\n", "info");
  expect(out).toEqual([]);
  write("67890\n", "info");
  expect(out).toEqual(["12345\n67890\n"]);
});

test("a process that exits at once still writes every waiting line to a pipe", async () => {
  const logger = resolve(import.meta.dir, "../../src/adapters/system/json-logger.ts");
  const script = `
    import { jsonLogger } from ${JSON.stringify(logger)};
    const log = jsonLogger("info");
    for (let i = 0; i < 20000; i++) log.info("line", { i, pad: "${"x".repeat(100)}" });
    process.exit(0);
  `;
  const child = Bun.spawn([process.execPath, "-e", script], { stdout: "pipe", stderr: "pipe" });
  const text = await new Response(child.stdout).text();
  expect(await child.exited).toBe(0);
  const lines = text.trimEnd().split("\n");
  expect(lines).toHaveLength(20000);
  expect(JSON.parse(lines.at(-1)!)).toMatchObject({ event: "line", i: 19999 });
});
