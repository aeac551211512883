/**
 * Typed domain errors. Each carries a stable machine `code`; delivery mechanisms map the class to a
 * transport status (HTTP problem+json, CLI exit code) without inspecting messages.
 */
export interface FieldProblem {
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind:
    | "validation"
    | "unauthorized"
    | "forbidden"
    | "not_found"
    | "conflict"
    | "rate_limited"
    | "unavailable";

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  readonly kind = "validation";
  constructor(
    code: string,
    message: string,
    readonly errors: FieldProblem[] = [],
  ) {
    super(code, message);
  }
}

export class UnauthorizedError extends DomainError {
  readonly kind = "unauthorized";
}

export class ForbiddenError extends DomainError {
  readonly kind = "forbidden";
  /**
   * Set by a use case that has recorded this refusal in the audit log itself (with more detail than
   * the delivery mechanism has), so it is not recorded twice.
   */
  audited = false;
}

export class TenantInactiveError extends ForbiddenError {
  constructor(status: string) {
    super("TENANT_INACTIVE", `The tenant is ${status}.`);
  }
}

export class NotFoundError extends DomainError {
  readonly kind = "not_found";
}

export class ConflictError extends DomainError {
  readonly kind = "conflict";
}

/** The limit that refused a request, for clients (RateLimit headers) and operators (logs, metrics). */
export interface RateLimitDetails {
  endpoint: string;
  scope: "ip" | "account" | "caller" | "tenant";
  limit: number;
  remaining: number;
  resetSeconds: number;
}

export class RateLimitedError extends DomainError {
  readonly kind = "rate_limited";
  constructor(
    code: "RATE_LIMITED" | "LOGIN_LOCKED",
    message: string,
    readonly retryAfterSeconds: number,
    readonly details: RateLimitDetails,
  ) {
    super(code, message);
  }
}

export class ServiceUnavailableError extends DomainError {
  readonly kind = "unavailable";
}
