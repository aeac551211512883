import { describe, expect, test } from "bun:test";
import { colourEnabled, fields, table, when } from "../../cli/output";

const rows = [
  { name: "acme", status: "active" },
  { name: "globex-corporation", status: "suspended" },
];
const columns = [
  { header: "NAME", value: (r: (typeof rows)[number]) => r.name },
  {
    header: "STATUS",
    value: (r: (typeof rows)[number]) => r.status,
    style: (r: (typeof rows)[number]) => (r.status === "active" ? ("green" as const) : undefined),
  },
];

describe("cli output", () => {
  test("a table pads every column but the last to its widest cell", () => {
    expect(table(rows, columns, false)).toBe(
      "NAME                STATUS\nacme                active\nglobex-corporation  suspended\n",
    );
  });

  test("colour is painted after padding, so coloured columns stay aligned", () => {
    const lines = table(rows, columns, true).split("\n");
    expect(lines[0]).toBe("\x1b[1mNAME              \x1b[0m  \x1b[1mSTATUS\x1b[0m");
    expect(lines[1]).toBe("acme                \x1b[32mactive\x1b[0m");
  });

  test("colour needs a terminal, and NO_COLOR turns it off (an empty NO_COLOR does not)", () => {
    expect(colourEnabled({ isTTY: true }, {})).toBe(true);
    expect(colourEnabled({ isTTY: false }, {})).toBe(false);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: "" })).toBe(true);
  });

  test("fields align their labels; times print in UTC to the minute", () => {
    expect(
      fields(
        [
          ["id", "1"],
          ["status", "active"],
        ],
        false,
      ),
    ).toBe("id      1\nstatus  active\n");
    expect(when(new Date("2026-11-27T02:23:04.739Z"))).toBe("2026-11-27 02:23Z");
    expect(when(null)).toBe("-");
  });
});
