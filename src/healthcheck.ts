/**
 * `saas-server healthcheck`: asks the server on this host whether it is ready, for container
 * HEALTHCHECKs (the distroless image has no shell or curl). Reads only HOST and PORT, so it answers
 * the same way whatever else the environment holds.
 */

const TIMEOUT_MS = 3_000;

export interface HealthcheckResult {
  exitCode: 0 | 1;
  line: string;
}

/** Where the server listens, as seen from inside its own container or host. */
export function readinessUrl(env: Record<string, string | undefined>): string | null {
  const port = Number(env.PORT?.trim() || "8080");
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null;
  const host = env.HOST?.trim() || "0.0.0.0";
  // Listening on every interface: loopback is one of them.
  const target = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return `http://${target.includes(":") ? `[${target}]` : target}:${port}/health/ready`;
}

/** 0 when GET /health/ready answers 200 (ready or degraded), 1 otherwise; one line saying which. */
export async function healthcheck(env: Record<string, string | undefined>): Promise<HealthcheckResult> {
  const url = readinessUrl(env);
  if (!url) return { exitCode: 1, line: `not ready: PORT ${JSON.stringify(env.PORT)} is not a port number` };
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    const body = (await response.json().catch(() => ({}))) as { status?: unknown };
    const status = typeof body.status === "string" ? ` ${body.status}` : "";
    return response.status === 200
      ? { exitCode: 0, line: `ready: ${url} answered 200${status}` }
      : { exitCode: 1, line: `not ready: ${url} answered ${response.status}${status}` };
  } catch (error) {
    const reason =
      (error as Error).name === "TimeoutError"
        ? `no answer within ${TIMEOUT_MS / 1000} s`
        : ((error as { code?: string }).code ?? (error as Error).message);
    return { exitCode: 1, line: `not ready: ${url}: ${reason}` };
  }
}
