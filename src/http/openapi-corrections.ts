import { OptionalKind } from "@sinclair/typebox";

/**
 * What @elysiajs/openapi generates, corrected where it does not describe what the app serves or
 * what client generators accept. Each correction is stated once here, for every route:
 * - operationIds: camelCase from the method and the path (the plugin keeps hyphens: `postAuthForgot-password`);
 * - security: an operation that does not ask for the bearer token says so with `security: []`;
 * - a response without a body (204) has no `content` (the plugin writes `{"type": "void"}` there);
 * - problem responses are `application/problem+json`, as the errors plugin sends them;
 * - a response schema naming its `contentMediaType` is listed under that media type (NDJSON, Prometheus);
 * - a query parameter declared with Elysia's t.Integer (text decoded to an integer) is the integer it
 *   is decoded to, not `string | integer`;
 * - a registered model met inside another schema or a body is a `$ref` to it, not a copy (Elysia
 *   marks each model with `$id: "#/components/schemas/<name>"`, which JSON Schema forbids: an `$id`
 *   has no fragment; the components lose it too);
 * - an optional body is `required: false`, and a JSON body the plugin lists under no media type (the
 *   routes parsed by the json-body plugin without `parse: "json"`) is listed as `application/json`.
 * The source is never modified (it shares objects with the route validators): the result is a copy.
 */

type JsonObject = Record<string, unknown>;

interface MediaType {
  schema?: JsonObject;
}

interface ResponseObject {
  description?: string;
  content?: Record<string, MediaType>;
}

interface Parameter {
  schema?: JsonObject;
}

interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  security?: unknown[];
  requestBody?: { description?: string; required?: boolean; content?: Record<string, MediaType> };
  responses?: Record<string, ResponseObject>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  [key: string]: unknown;
}

/** What the corrections read of a route: its method, its path as Elysia writes it, its body schema. */
export interface DocumentedRoute {
  method: string;
  path: string;
  hooks?: { body?: unknown };
}

const API_PREFIX = "/api/v1";
const PROBLEM_REF = "#/components/schemas/Problem";
const PROBLEM_MEDIA_TYPE = "application/problem+json";

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/**
 * `POST /api/v1/auth/forgot-password` is `postAuthForgotPassword`; a path parameter `{id}` reads
 * `ById`. The version prefix is left out: it is the same for every operation.
 */
export function operationIdOf(method: string, path: string): string {
  const words = (path.startsWith(`${API_PREFIX}/`) ? path.slice(API_PREFIX.length) : path)
    .split("/")
    .filter(Boolean)
    .map((segment) => {
      const parameter = segment.match(/^\{(.+)\}$/)?.[1];
      if (parameter) return `By${capitalize(parameter)}`;
      return segment
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map(capitalize)
        .join("");
    });
  return method.toLowerCase() + words.join("");
}

/** Media-type names contain a slash; the plugin's marker for a body-less response does not. */
const isMediaTypeMap = (content: Record<string, unknown>) =>
  Object.keys(content).some((key) => key.includes("/"));

function correctResponse(response: ResponseObject): void {
  if (!response.content) return;
  if (!isMediaTypeMap(response.content)) {
    delete response.content;
    return;
  }
  const corrected: Record<string, MediaType> = {};
  for (const [mediaType, media] of Object.entries(response.content)) {
    const schema = media.schema;
    if (schema?.$ref === PROBLEM_REF) corrected[PROBLEM_MEDIA_TYPE] = media;
    else if (typeof schema?.contentMediaType === "string") corrected[schema.contentMediaType] = media;
    else corrected[mediaType] = media;
  }
  response.content = corrected;
}

/** Elysia's t.Integer is `anyOf: [{type: "string", format: "integer"}, {type: "integer", ...}]`. */
function decodedInteger(schema: JsonObject | undefined): JsonObject | undefined {
  const branches = schema?.anyOf;
  if (!Array.isArray(branches) || branches.length !== 2) return undefined;
  const [text, integer] = branches as JsonObject[];
  return text?.type === "string" && text.format === "integer" && integer?.type === "integer"
    ? integer
    : undefined;
}

function correctParameter(parameter: Parameter): void {
  const integer = decodedInteger(parameter.schema);
  if (integer) parameter.schema = integer;
}

function correctRequestBody(operation: Operation, body: unknown): void {
  const requestBody = operation.requestBody;
  if (!requestBody || !body || typeof body !== "object") return;
  if ((body as Record<symbol, unknown>)[OptionalKind] === "Optional") requestBody.required = false;
  if (requestBody.content && Object.keys(requestBody.content).length > 0) return;
  requestBody.content = { "application/json": { schema: JSON.parse(JSON.stringify(body)) } };
}

const COMPONENT_SCHEMA = "#/components/schemas/";

/** Replaces every copy of a registered model below `node` by a reference to it. */
function referenceModels(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(referenceModels);
  if (!node || typeof node !== "object") return node;
  const id = (node as JsonObject).$id;
  if (typeof id === "string" && id.startsWith(COMPONENT_SCHEMA)) return { $ref: id };
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, referenceModels(value)]));
}

function referenceModelsIn(document: OpenApiDocument): void {
  document.paths = referenceModels(document.paths) as OpenApiDocument["paths"];
  const components = document.components as { schemas?: Record<string, JsonObject> } | undefined;
  for (const [name, schema] of Object.entries(components?.schemas ?? {})) {
    const { $id: _ownId, ...rest } = schema;
    components!.schemas![name] = referenceModels(rest) as JsonObject;
  }
}

const elysiaPath = (path: string) => path.replace(/\{([^}]+)\}/g, ":$1");

export function correctOpenApiDocument(source: object, routes: readonly DocumentedRoute[]): OpenApiDocument {
  const document = JSON.parse(JSON.stringify(source)) as OpenApiDocument;
  const bodies = new Map(
    routes.map((route) => [`${route.method.toLowerCase()} ${route.path}`, route.hooks?.body]),
  );
  const operationIds = new Map<string, string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const operationId = operationIdOf(method, path);
      const taken = operationIds.get(operationId);
      if (taken) throw new Error(`operationId ${operationId} of ${method} ${path} is also ${taken}'s`);
      operationIds.set(operationId, `${method} ${path}`);
      operation.operationId = operationId;
      operation.security ??= [];
      for (const parameter of operation.parameters ?? []) correctParameter(parameter);
      for (const response of Object.values(operation.responses ?? {})) correctResponse(response);
      correctRequestBody(operation, bodies.get(`${method} ${elysiaPath(path)}`));
    }
  }
  referenceModelsIn(document);
  return document;
}
