import type { Principal } from "../core/domain/acting";
import type { RequestOrigin } from "../core/domain/audit";

/** What the app knows about a request beyond Elysia's context, kept for logging and metrics. */
export interface RequestState {
  requestId: string;
  startedAt: number;
  ip: string | null;
  tenantId?: string;
  userId?: string;
  /** The signed-in caller, once authenticated (refusals are audited in their name). */
  principal?: Principal;
  /** The status an error response was given, when one was. */
  errorStatus?: number;
}

const states = new WeakMap<Request, RequestState>();

export function setRequestState(request: Request, state: RequestState): RequestState {
  states.set(request, state);
  return state;
}

export function requestState(request: Request): RequestState | undefined {
  return states.get(request);
}

/** Where the request came from, as audit events record it. */
export function requestOrigin(request: Request): RequestOrigin {
  const state = states.get(request);
  return {
    ip: state?.ip ?? null,
    userAgent: request.headers.get("user-agent")?.slice(0, 512) ?? null,
    requestId: state?.requestId ?? null,
  };
}
