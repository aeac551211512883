import { ValidationError } from "../../core/domain/errors";
import { CONTEXT_LIMITS } from "../../core/domain/flags/limits";
import type { CallerContext } from "../../core/usecases/flags/evaluate-flags";

const TEXT_FIELDS = ["userId", "sessionId", "remoteAddress", "environment", "appName"] as const;
type TextField = (typeof TEXT_FIELDS)[number];
const isTextField = (name: string): name is TextField => (TEXT_FIELDS as readonly string[]).includes(name);

const PROPERTY_PARAM = /^properties\[([^\]]*)\]$/;
const MAX_FIELDS = 8 + CONTEXT_LIMITS.properties;

function invalid(field: string, message: string): ValidationError {
  return new ValidationError("INVALID_CONTEXT", "The context is not valid.", [{ field, message }]);
}

function text(field: string, value: unknown, maxLength: number): string {
  if (typeof value !== "string") throw invalid(field, "must be a string");
  if (value.length > maxLength) throw invalid(field, `must be at most ${maxLength} characters`);
  return value;
}

/**
 * A caller context from what a browser SDK sends: the standard fields by name, and every other
 * name as a property (as Unleash's frontend API reads them). Bounded like the evaluate endpoint's.
 */
function contextOf(
  fields: Iterable<[string, unknown]>,
  properties: Iterable<[string, unknown]>,
): CallerContext {
  const context: CallerContext = {};
  const props: Record<string, string | null> = {};
  let propertyCount = 0;
  const addProperty = (name: string, value: unknown) => {
    if (name.length < 1 || name.length > CONTEXT_LIMITS.propertyNameLength) {
      throw invalid(`properties.${name.slice(0, 20)}`, "has a name of the wrong length");
    }
    if (value === null || value === undefined) return;
    if (!Object.hasOwn(props, name) && ++propertyCount > CONTEXT_LIMITS.properties) {
      throw invalid("properties", `must have at most ${CONTEXT_LIMITS.properties} properties`);
    }
    props[name] = text(`properties.${name}`, value, CONTEXT_LIMITS.propertyValueLength);
  };
  for (const [name, value] of fields) {
    if (value === undefined || value === null) continue;
    if (isTextField(name)) {
      context[name] = text(name, value, name === "remoteAddress" ? 64 : CONTEXT_LIMITS.fieldLength);
    } else if (name === "currentTime") {
      const at = text(name, value, 64);
      if (Number.isNaN(Date.parse(at))) throw invalid(name, "must be a date and time");
      context.currentTime = at;
    } else {
      addProperty(name, value);
    }
  }
  for (const [name, value] of properties) addProperty(name, value);
  if (propertyCount > 0) context.properties = props;
  return context;
}

/** `GET /api/frontend?userId=…&properties[plan]=…`: what unleash-proxy-client sends. */
export function contextFromQuery(params: URLSearchParams): CallerContext {
  const fields: [string, string][] = [];
  const properties: [string, string][] = [];
  let count = 0;
  for (const [name, value] of params) {
    if (++count > MAX_FIELDS) throw invalid("query", `must have at most ${MAX_FIELDS} parameters`);
    const property = PROPERTY_PARAM.exec(name);
    if (property) properties.push([property[1] ?? "", value]);
    else fields.push([name, value]);
  }
  return contextOf(fields, properties);
}

/** `POST /api/frontend` with `{context: {…, properties: {…}}}`. */
export function contextFromBody(body: unknown): CallerContext {
  const context = (body as { context?: unknown } | null)?.context ?? {};
  if (typeof context !== "object" || context === null || Array.isArray(context)) {
    throw invalid("context", "must be an object");
  }
  const { properties = {}, ...fields } = context as Record<string, unknown>;
  if (typeof properties !== "object" || properties === null || Array.isArray(properties)) {
    throw invalid("context.properties", "must be an object");
  }
  const fieldEntries = Object.entries(fields);
  if (fieldEntries.length > MAX_FIELDS) throw invalid("context", `must have at most ${MAX_FIELDS} fields`);
  return contextOf(fieldEntries, Object.entries(properties));
}
