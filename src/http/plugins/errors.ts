import { Elysia, type ValidationError as ElysiaValidationError, ParseError } from "elysia";
import { DomainError, type FieldProblem, RateLimitedError, ValidationError } from "../../core/domain/errors";
import type { Logger } from "../../core/ports/logger";
import type { HttpMetrics } from "../metrics";
import { type Problem, problem, problemResponse } from "../problem";
import { requestState } from "../request-state";

export class PayloadTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body exceeds ${limit} bytes.`);
  }
}

export class MalformedJsonError extends Error {}

export class InvalidCharacterError extends Error {
  constructor() {
    super("The request contains a character no field accepts: NUL, or an unpaired UTF-16 surrogate.");
  }
}

export class JsonTooDeepError extends Error {
  constructor(readonly limit: number) {
    super(`The request body nests arrays and objects more than ${limit} levels deep.`);
  }
}

export class UnsupportedMediaTypeError extends Error {
  constructor(readonly contentType: string) {
    super("The request body must be JSON (Content-Type: application/json).");
  }
}

const STATUS_OF_KIND: Record<DomainError["kind"], number> = {
  validation: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

function fieldProblems(error: ElysiaValidationError): FieldProblem[] {
  return error.all.map((e) => {
    const path = "path" in e ? e.path : "";
    const field = [error.type, ...path.split("/").filter(Boolean)].join(".");
    const message = ("summary" in e && e.summary) || e.message;
    return { field, message };
  });
}

function headersFor(error: unknown, status: number): Record<string, string> {
  if (status === 401) return { "www-authenticate": 'Bearer realm="api"' };
  if (status === 503) return { "retry-after": "5" };
  if (error instanceof RateLimitedError) {
    const { limit, remaining, resetSeconds } = error.details;
    return {
      "retry-after": String(error.retryAfterSeconds),
      "ratelimit-limit": String(limit),
      "ratelimit-remaining": String(remaining),
      "ratelimit-reset": String(resetSeconds),
    };
  }
  return {};
}

/** Maps every failure to application/problem+json. A 500 says nothing of its cause to the client. */
export function errorsPlugin(
  logger: Logger,
  metrics: HttpMetrics,
  describeError: (error: unknown) => string,
  /** Turns an infrastructure failure the caller should hear about (the database is down) into its domain error. */
  translateError: (error: unknown) => DomainError | null = () => null,
) {
  return new Elysia({ name: "errors" }).onError(
    { as: "global" },
    ({ code, error: raised, request, route, set }) => {
      const state = requestState(request);
      // Elysia wraps whatever a parser throws in its ParseError; the cause is what happened.
      const unwrapped = raised instanceof ParseError && raised.cause ? raised.cause : raised;
      const error = translateError(unwrapped) ?? unwrapped;
      let p: Problem;
      if (error instanceof RateLimitedError) {
        const { endpoint, scope } = error.details;
        metrics.rateLimited(endpoint, scope);
        logger.warn("rate_limit.exceeded", {
          requestId: state?.requestId,
          code: error.code,
          endpoint,
          scope,
          ip: state?.ip ?? null,
        });
      }
      if (error instanceof DomainError) {
        const status = STATUS_OF_KIND[error.kind];
        p = problem(
          status,
          error.code,
          error.message,
          error instanceof ValidationError && error.errors.length ? { errors: error.errors } : {},
        );
      } else if (error instanceof PayloadTooLargeError) {
        p = problem(413, "PAYLOAD_TOO_LARGE", error.message);
      } else if (error instanceof InvalidCharacterError) {
        p = problem(400, "INVALID_CHARACTER", error.message);
      } else if (error instanceof JsonTooDeepError) {
        p = problem(400, "JSON_TOO_DEEP", error.message);
      } else if (error instanceof UnsupportedMediaTypeError) {
        p = problem(415, "UNSUPPORTED_MEDIA_TYPE", error.message);
      } else if (error instanceof MalformedJsonError || code === "PARSE") {
        p = problem(400, "MALFORMED_BODY", "The request body is not valid JSON.");
      } else if (code === "VALIDATION" && (error as ElysiaValidationError).type !== "response") {
        p = problem(422, "VALIDATION_FAILED", "The request does not match the expected shape.", {
          errors: fieldProblems(error as ElysiaValidationError),
        });
      } else if (code === "NOT_FOUND") {
        p = problem(404, "ROUTE_NOT_FOUND", "No route matches this method and path.");
      } else {
        logger.error("request.failed", {
          requestId: state?.requestId,
          route,
          // A subclass that keeps Error's name (drizzle's query error) is named by its constructor.
          error:
            error instanceof Error
              ? error.name !== "Error"
                ? error.name
                : error.constructor.name
              : typeof error,
          cause: describeError(error),
        });
        p = problem(
          500,
          "INTERNAL_ERROR",
          "Something went wrong on our side. Quote the request id when reporting it.",
        );
      }
      if (state) {
        p.requestId = state.requestId;
        state.errorCode = p.code;
      }
      // For the request log and metrics, which read the status after the response.
      set.status = p.status;
      return problemResponse(p, headersFor(error, p.status));
    },
  );
}
