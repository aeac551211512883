import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq, sql } from "drizzle-orm";
import { auditEvents, tenants } from "../../src/adapters/db/schema";
import { childEnv } from "../support/child-env";
import { readCliDatabase, saasctl, saasctlJson, seededCliEnv } from "../support/saasctl";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

const CLI = new URL("../../cli/saasctl.ts", import.meta.url).pathname;
let env: Record<string, string>;
beforeAll(async () => {
  env = await seededCliEnv();
  await saasctlJson(["tenants", "create", "--name", "Pied Piper", "--slug", "piper"], env);
  await saasctlJson(["tenants", "suspend", "piper", "--reason", "audit test"], env);
});

/** Lines the child prints, as they come (the pipe is drained to the end). */
function lines(child: Bun.Subprocess<"ignore", "pipe", "pipe">): string[] {
  const seen: string[] = [];
  let partial = "";
  (async () => {
    for await (const chunk of child.stdout) {
      const parts = (partial + new TextDecoder().decode(chunk)).split("\n");
      partial = parts.pop() ?? "";
      seen.push(...parts);
    }
  })();
  return seen;
}

async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(50);
  }
}

describe("saasctl audit", () => {
  test("tail prints the latest events oldest first; --json gives {items}; --action filters", async () => {
    const latest = await saasctlJson(
      ["audit", "tail", "--tenant", "piper", "--action", "tenant.*", "-n", "5"],
      env,
    );
    expect(latest.items.map((e: { action: string }) => e.action)).toEqual([
      "tenant.created",
      "tenant.suspended",
    ]);
    expect(latest.items[1]).toMatchObject({
      seq: 2,
      actor: { type: "cli", id: expect.any(String) },
      resource: { type: "tenant", id: expect.any(String) },
      outcome: "success",
      userAgent: "saasctl",
      metadata: { from: "active", to: "suspended", reason: "audit test" },
      createdAt: expect.stringMatching(/Z$/),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    const human = await saasctl(["audit", "tail", "--tenant", "piper", "--action", "tenant.sus*"], env);
    expect(human.code).toBe(1); // not an action nor a prefix ending in .*
    expect(human.stderr).toStartWith("saasctl: INVALID_AUDIT_FILTER: ");
    const filtered = await saasctl(
      ["audit", "tail", "--tenant", "piper", "--action", "tenant.suspended"],
      env,
    );
    expect(filtered.code).toBe(0);
    expect(filtered.stdout).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ +#2 +tenant\.suspended +cli:\S+ +tenant\/[0-9a-f-]{36} +success +\{.*"reason":"audit test"/,
    );
    expect(filtered.stdout.trimEnd().split("\n")).toHaveLength(1);

    // Reading another tenant's log is recorded in it, by the use case.
    const platform = await saasctlJson(["audit", "tail", "--tenant", "piper", "--action", "audit.read"], env);
    expect(platform.items.length).toBeGreaterThan(0);
  });

  test("verify says the chain is valid, and exits 1 naming the first broken event", async () => {
    const valid = await saasctlJson(["audit", "verify", "--tenant", "piper"], env);
    expect(valid).toEqual({ tenant: "piper", valid: true, checked: expect.any(Number) });
    expect(await saasctl(["audit", "verify"], env)).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^audit chain of platform: valid \(\d+ events checked\)\n$/),
    });

    await readCliDatabase(env, async (db) => {
      await db.execute(sql.raw("alter table audit_events disable trigger user"));
      await db.execute(
        sql.raw(
          "update audit_events set metadata = '{}'::jsonb where seq = 2 and action = 'tenant.suspended'",
        ),
      );
      await db.execute(sql.raw("alter table audit_events enable trigger user"));
    });
    const broken = await saasctl(["audit", "verify", "--tenant", "piper"], env);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(
      /^audit chain of piper: BROKEN at #2 \(event [0-9a-f-]{36}\): \S+; 1 events before it are valid\n$/,
    );
  });

  test("tail --follow prints new events as NDJSON until interrupted, and holds an embedded database meanwhile", async () => {
    const follow = Bun.spawn(["bun", CLI, "audit", "tail", "--follow", "--json", "-n", "1"], {
      env: childEnv({ BCRYPT_COST: "4", ...env }),
      stdout: "pipe",
      stderr: "pipe",
    });
    const out = lines(follow);
    await until(() => out.length >= 1, "the first event");
    expect(JSON.parse(out[0]!)).toMatchObject({ seq: expect.any(Number), action: expect.any(String) });

    if (env.DATABASE_URL) {
      await saasctlJson(["tenants", "create", "--name", "Raviga", "--slug", "raviga"], env);
      // The new tenant's events are in its own log; the platform log gets a change of its own.
      await saasctlJson(["flags", "create", "followed"], env);
      await until(() => out.some((l) => l.includes('"flag.created"')), "the new event");
      expect(out.map((l) => JSON.parse(l).action)).toContain("flag.created");
    } else {
      const held = await saasctl(["migrate"], env);
      expect(held.code).toBe(3);
      expect(held.stderr).toContain(
        `it is in use by saasctl (pid ${follow.pid}); stop it, or set DATABASE_URL`,
      );
    }
    follow.kill("SIGINT");
    expect(await follow.exited).toBe(0);
    expect(await new Response(follow.stderr).text()).toBe("");
  });

  test("tail --follow of another tenant's log records one audit.read for the whole command, not one per poll", async () => {
    const readsOfPiper = () =>
      readCliDatabase(env, async (db) => {
        const [piper] = await db.select().from(tenants).where(eq(tenants.slug, "piper"));
        return db
          .select()
          .from(auditEvents)
          .where(and(eq(auditEvents.tenantId, piper!.id), eq(auditEvents.action, "audit.read")));
      });
    const before = (await readsOfPiper()).length;
    const follow = Bun.spawn(
      ["bun", CLI, "audit", "tail", "--tenant", "piper", "--follow", "--json", "-n", "1"],
      { env: childEnv({ BCRYPT_COST: "4", ...env }), stdout: "pipe", stderr: "pipe" },
    );
    const out = lines(follow);
    await until(() => out.length >= 1, "the first event");
    if (env.DATABASE_URL) {
      // Each change lands in piper's log and is printed by a later poll.
      await saasctlJson(["tenants", "activate", "piper"], env);
      await until(() => out.some((l) => l.includes('"tenant.activated"')), "the activation");
      await saasctlJson(["tenants", "suspend", "piper", "--reason", "followed"], env);
      await until(() => out.some((l) => l.includes('"followed"')), "the suspension");
    }
    await Bun.sleep(3_500); // at least three more polls, one a second
    follow.kill("SIGINT");
    expect(await follow.exited).toBe(0);

    const reads = await readsOfPiper();
    expect(reads).toHaveLength(before + 1);
    expect(reads.at(-1)).toMatchObject({
      actorType: "cli",
      outcome: "success",
      resourceType: "audit_log",
      userAgent: "saasctl",
      metadata: { follow: true, cursor: null },
    });
    expect(out.filter((l) => l.includes('"audit.read"')).length).toBeLessThanOrEqual(1);
  });

  test("--help shows an example on every audit command", async () => {
    for (const command of ["tail", "verify"]) {
      const help = await saasctl(["audit", command, "--help"], env);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Example:\n  saasctl audit ${command}`);
    }
  });
});
