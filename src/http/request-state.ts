import type { RequestOrigin } from "../core/domain/audit";

/**
 * What only the server knows about a request, found before Elysia's context exists. Who calls and
 * on which tenant live in the context (resolved by the route's options).
 */
export interface RequestState {
  requestId: string;
  startedAt: number;
  ip: string | null;
  /** The problem+json `code` the request failed with, for its log line. */
  errorCode?: string;
}

const states = new WeakMap<Request, RequestState>();

export function setRequestState(request: Request, state: RequestState): RequestState {
  states.set(request, state);
  return state;
}

export function requestState(request: Request): RequestState | undefined {
  return states.get(request);
}

/**
 * Where the request came from, as audit events record it. The address is read only when something
 * reads `ip` (an audit event, a flag on remoteAddress): asking the server for it costs as much as a
 * small request, and most requests never need it.
 */
export function requestOrigin(request: Request): RequestOrigin {
  const state = states.get(request);
  return {
    get ip() {
      return state?.ip ?? null;
    },
    userAgent: request.headers.get("user-agent")?.slice(0, 512) ?? null,
    requestId: state?.requestId ?? null,
  };
}
