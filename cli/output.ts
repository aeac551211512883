import type { CliIo } from "./io";

/** How commands print: aligned tables for people, JSON for scripts, colour only on a terminal. */

export interface OutputOptions {
  json?: boolean;
}

const ANSI = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33 } as const;
export type Style = keyof typeof ANSI;

/** Colour only when the stream is a terminal and NO_COLOR is unset (https://no-color.org). */
export function colourEnabled(stream: { isTTY?: boolean }, env: { NO_COLOR?: string }): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR;
}

export function paint(text: string, style: Style | undefined, colour: boolean): string {
  return colour && style ? `\x1b[${ANSI[style]}m${text}\x1b[0m` : text;
}

export interface Column<T> {
  header: string;
  value: (row: T) => string;
  style?: (row: T) => Style | undefined;
}

/**
 * An aligned table: a header row, then one row per item. Cells are padded before they are painted,
 * so colour never shifts the columns; the last column is not padded.
 */
export function table<T>(rows: T[], columns: Column<T>[], colour: boolean): string {
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...cells.map((line) => line[i]!.length)),
  );
  const render = (line: string[], style: (i: number) => Style | undefined) =>
    line
      .map((cell, i) => paint(i === line.length - 1 ? cell : cell.padEnd(widths[i]!), style(i), colour))
      .join("  ")
      .trimEnd();
  const header = render(
    columns.map((column) => column.header),
    () => "bold",
  );
  const body = cells.map((line, r) => render(line, (i) => columns[i]!.style?.(rows[r]!)));
  return `${[header, ...body].join("\n")}\n`;
}

/** Aligned `field  value` lines, for one record. */
export function fields(entries: [string, string][], colour: boolean): string {
  const labelWidth = Math.max(...entries.map(([label]) => label.length));
  const lines = entries.map(
    ([label, value]) => `${paint(label.padEnd(labelWidth), "bold", colour)}  ${value}`,
  );
  return `${lines.join("\n")}\n`;
}

/** A time as people read it, in UTC to the minute; empty when there is none. */
export function when(date: Date | null | undefined): string {
  return date ? `${date.toISOString().slice(0, 16).replace("T", " ")}Z` : "-";
}

/** Renders a value for people; `colour` says whether it may be painted. */
export type Render<T> = (value: T, colour: boolean) => string;

/** Printing on the command's stdout. */
export function output(io: Pick<CliIo, "stdout" | "env">) {
  const colour = colourEnabled(io.stdout, io.env);
  /** One JSON document on a line; Dates become ISO-8601 strings. */
  const printJson = (value: unknown) => io.stdout.write(`${JSON.stringify(value)}\n`);
  return {
    colour,
    printJson,
    /** Prints `value` as JSON with --json, else what `human` renders. */
    emit<T>(options: OutputOptions, value: T, human: Render<T>): void {
      if (options.json) printJson(value);
      else io.stdout.write(human(value, colour));
    },
  };
}

export type Output = ReturnType<typeof output>;
