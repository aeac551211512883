import { describe, expect, test } from "bun:test";
import { memoryRateLimiter } from "../../src/adapters/rate-limit/memory-rate-limiter";
import type { Principal } from "../../src/core/domain/acting";
import { RateLimitedError } from "../../src/core/domain/errors";
import { makeInvitationLimit } from "../../src/core/usecases/users/invitation-limit";

const origin = { ip: "203.0.113.9", userAgent: null, requestId: null };
const rule = { limit: 2, windowSeconds: 3600 };

function limitWithTrips() {
  const trips: unknown[] = [];
  const assertMayInvite = makeInvitationLimit({
    rateLimiter: memoryRateLimiter(),
    recordTrip: async (trip) => {
      trips.push(trip);
    },
    perUser: rule,
    perTenant: { limit: 100, windowSeconds: 3600 },
  });
  return { assertMayInvite, trips };
}

const admin: Principal = { userId: "u-1", tenantId: "t-1", sessionId: "s-1", role: "admin" };
const operator: Principal = {
  userId: "ops",
  tenantId: "p-1",
  sessionId: "",
  role: "super_admin",
  kind: "cli",
};

describe("invitation limit", () => {
  test("a signed-in caller past their limit is refused and the trip is recorded", async () => {
    const { assertMayInvite, trips } = limitWithTrips();
    await assertMayInvite(admin, "t-1", origin);
    await assertMayInvite(admin, "t-1", origin);
    const refused = await assertMayInvite(admin, "t-1", origin).catch((error) => error);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect(trips).toHaveLength(1);
  });

  test("the operator at the CLI is the platform itself and is never limited", async () => {
    const { assertMayInvite, trips } = limitWithTrips();
    for (let i = 0; i < 5; i++) await assertMayInvite(operator, "t-1", origin);
    expect(trips).toHaveLength(0);
  });
});
