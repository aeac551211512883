import type { Static, TObject } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { invalid } from "./setting-types";

const BOOLEAN_WORDS: Record<string, boolean> = {
  true: true,
  "1": true,
  yes: true,
  false: false,
  "0": false,
  no: false,
};

/** Turns the environment's strings into the schema's types; what cannot be converted is left to fail. */
function coerce(schema: TObject, raw: Record<string, string | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties)) {
    const value = raw[name]?.trim();
    if (value === undefined || value === "") continue;
    const type = (property as { type?: string }).type;
    if (type === "integer") out[name] = /^-?\d+$/.test(value) ? Number(value) : value;
    else if (type === "boolean") out[name] = BOOLEAN_WORDS[value.toLowerCase()] ?? value;
    else out[name] = value;
  }
  return out;
}

interface SchemaError {
  path: string;
  message: string;
  value: unknown;
  schema: { anyOf?: { const?: unknown }[]; pattern?: string; description?: string };
}

function describe(error: SchemaError): string {
  const name = error.path.replace(/^\//, "");
  const choices = error.schema.anyOf?.map((option) => option.const).join(", ");
  const problem = choices
    ? `must be one of ${choices}`
    : error.schema.pattern && error.schema.description
      ? `must be ${error.schema.description}`
      : error.message.replace(/^Expected/, "expected");
  return `${name} ${problem} (got ${JSON.stringify(error.value)})`;
}

/** The environment read against `schema`, defaults applied; the first bad value is a ConfigError. */
export function readEnvironment<S extends TObject>(schema: S, raw: Record<string, string | undefined>) {
  const input = Value.Default(schema, coerce(schema, raw));
  const first = Value.Errors(schema, input).First() as SchemaError | undefined;
  if (first) throw invalid(`${describe(first)}.`);
  return input as Static<S>;
}
