import { describe, expect, test } from "bun:test";
import { Glob } from "bun";
import {
  eventPatternProblems,
  matchesEventPattern,
  subscribesTo,
  WEBHOOK_EVENT_TYPES,
} from "../../src/core/domain/webhook-events";

/** Audit actions that are recorded but never delivered: reads, failures, refusals, platform jobs. */
const NOT_DELIVERED = new Set([
  "abuse.rate_limited",
  "access.denied",
  "audit.exported",
  "audit.read",
  "audit.retention_applied",
  "audit.verified",
  "auth.login.failed",
  "auth.login.locked",
  "auth.mfa.challenged",
  "auth.mfa.failed",
  "auth.password_reset.requested",
  "auth.refresh.reused",
  "mfa.totp.enrolment_started",
  "webhook.tested",
]);

const AUDITED_NOUNS =
  /^(abuse|access|api_key|audit|auth|flag|mfa|role|segment|session|tenant|user|webhook)\./;

/**
 * Every dotted string literal under an audited noun in the use cases, but log event names (the first
 * argument of a logger call): the actions they audit.
 */
async function auditedActions(): Promise<Set<string>> {
  const actions = new Set<string>();
  for await (const path of new Glob("src/core/usecases/**/*.ts").scan(".")) {
    const source = await Bun.file(path).text();
    for (const m of source.matchAll(/(\.(?:debug|info|warn|error)\(\s*)?"([a-z_]+(?:\.[a-z_]+)+)"/g)) {
      if (!m[1] && AUDITED_NOUNS.test(m[2]!)) actions.add(m[2]!);
    }
  }
  // manage-tenants.ts builds these from the lifecycle verbs.
  for (const past of ["suspended", "activated", "cancelled"]) actions.add(`tenant.${past}`);
  return actions;
}

describe("the webhook event catalogue", () => {
  test("every audited action is either catalogued or deliberately not delivered", async () => {
    const audited = await auditedActions();
    expect(audited.has("segment.created") && audited.has("user.role_changed")).toBe(true);
    const uncatalogued = [...audited].filter(
      (action) => !NOT_DELIVERED.has(action) && !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(action),
    );
    expect(uncatalogued).toEqual([]);
  });

  test("no catalogued type is also listed as not delivered", () => {
    expect(WEBHOOK_EVENT_TYPES.filter((type) => NOT_DELIVERED.has(type))).toEqual([]);
  });
});

describe("event patterns", () => {
  test("* matches everything, prefix.* its subtree, a type only itself", () => {
    expect(matchesEventPattern("*", "user.created")).toBe(true);
    expect(matchesEventPattern("user.*", "user.email_change.requested")).toBe(true);
    expect(matchesEventPattern("user.*", "users.created")).toBe(false);
    expect(matchesEventPattern("user.created", "user.created")).toBe(true);
    expect(matchesEventPattern("user.created", "user.created.x")).toBe(false);
  });

  test("events outside the catalogue are never subscribed to, even by *", () => {
    expect(subscribesTo(["*"], "audit.read")).toBe(false);
    expect(subscribesTo(["*"], "webhook.test")).toBe(false);
    expect(subscribesTo(["flag.*"], "flag.updated")).toBe(true);
  });

  test("unknown patterns are reported by position; an empty list is refused", () => {
    expect(eventPatternProblems(["user.*", "flag.updated", "*"])).toEqual([]);
    expect(eventPatternProblems(["user.created", "nope.*", "user.createdd"]).map((p) => p.field)).toEqual([
      "events.1",
      "events.2",
    ]);
    expect(eventPatternProblems(["audit.read"])).toHaveLength(1);
    expect(eventPatternProblems([])).toEqual([
      { field: "events", message: "Subscribe to at least one event." },
    ]);
  });
});
