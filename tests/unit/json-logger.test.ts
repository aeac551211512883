import { expect, test } from "bun:test";
import { jsonLogger } from "../../src/adapters/system/json-logger";

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
