import { cacheKeys } from "../../domain/cache-keys";
import type { Session } from "../../domain/session";
import type { Cache } from "../../ports/cache";
import { sessionStateOf } from "../auth/session-state";
import { makeCacheAside } from "../cache/cache-aside";

/** Publishes sessions' new state once it is committed (an enrolment-only session released, say). */
export async function publishSessionStates(cache: Cache, sessions: Session[], ttlSeconds: number) {
  const entries = makeCacheAside({ cache, ttlSeconds });
  await Promise.all(
    sessions.map((session) => entries.publish(cacheKeys.session(session.id), sessionStateOf(session))),
  );
}
