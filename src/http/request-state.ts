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
  /** `requestOrigin(request)`, made once for the request on first use. */
  origin?: RequestOrigin;
}

// Kept on the request itself under a symbol only this module holds (not a WeakMap: its set and
// gets cost more than the rest of the request state together). Nothing else can read or forge it.
const STATE = Symbol("request-state");
type Stateful = Request & { [STATE]?: RequestState };

export function setRequestState(request: Request, state: RequestState): RequestState {
  (request as Stateful)[STATE] = state;
  return state;
}

export function requestState(request: Request): RequestState | undefined {
  return (request as Stateful)[STATE];
}

/**
 * Where the request came from, as audit events record it. The address is read only when something
 * reads `ip` (an audit event, a flag on remoteAddress): asking the server for it costs as much as a
 * small request, and most requests never need it.
 */
export function requestOrigin(request: Request): RequestOrigin {
  const state = (request as Stateful)[STATE];
  if (state?.origin) return state.origin;
  const origin: RequestOrigin = {
    get ip() {
      return state?.ip ?? null;
    },
    userAgent: request.headers.get("user-agent")?.slice(0, 512) ?? null,
    requestId: state?.requestId ?? null,
  };
  if (state) state.origin = origin;
  return origin;
}
