import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq, sql } from "drizzle-orm";
import { auditEvents } from "../../src/adapters/db/schema";
import { type CliHarness, cliHarness, until } from "../support/cli";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

let cli: CliHarness;
let piper: string;
let piperId: string;
beforeAll(async () => {
  cli = await cliHarness();
  piper = cli.unique("piper");
  piperId = (await cli.json(["tenants", "create", "--name", "Pied Piper", "--slug", piper])).id;
  await cli.json(["tenants", "suspend", piper, "--reason", "audit test"]);
});

const readsOfPiper = () =>
  cli.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, piperId), eq(auditEvents.action, "audit.read")));

describe("saasctl audit", () => {
  test("tail prints the latest events oldest first; --json gives {items}; --action filters", async () => {
    const latest = await cli.json(["audit", "tail", "--tenant", piper, "--action", "tenant.*", "-n", "5"]);
    expect(latest.items.map((e: { action: string }) => e.action)).toEqual([
      "tenant.created",
      "tenant.suspended",
    ]);
    expect(latest.items[1]).toMatchObject({
      seq: 2,
      actor: { type: "cli", id: expect.any(String) },
      resource: { type: "tenant", id: piperId },
      outcome: "success",
      userAgent: "saasctl",
      metadata: { from: "active", to: "suspended", reason: "audit test" },
      createdAt: expect.stringMatching(/Z$/),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    const human = await cli.run(["audit", "tail", "--tenant", piper, "--action", "tenant.sus*"]);
    expect(human.code).toBe(1); // not an action nor a prefix ending in .*
    expect(human.stderr).toStartWith("saasctl: INVALID_AUDIT_FILTER: ");
    const filtered = await cli.run(["audit", "tail", "--tenant", piper, "--action", "tenant.suspended"]);
    expect(filtered.code).toBe(0);
    expect(filtered.stdout).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ +#2 +tenant\.suspended +cli:\S+ +tenant\/[0-9a-f-]{36} +success +\{.*"reason":"audit test"/,
    );
    expect(filtered.stdout.trimEnd().split("\n")).toHaveLength(1);

    // Reading another tenant's log is recorded in it, by the use case: one event per command read.
    expect(await readsOfPiper()).toHaveLength(2);
    const reads = await cli.json(["audit", "tail", "--tenant", piper, "--action", "audit.read"]);
    expect(reads.items.length).toBeGreaterThanOrEqual(2);
    expect(reads.items[0]).toMatchObject({ actor: { type: "cli" }, resource: { type: "audit_log" } });
  });

  test("verify says the chain is valid, and exits 1 naming the first broken event", async () => {
    const valid = await cli.json(["audit", "verify", "--tenant", piper]);
    expect(valid).toEqual({ tenant: piper, valid: true, checked: expect.any(Number) });
    expect(await cli.run(["audit", "verify"])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^audit chain of platform: valid \(\d+ events checked\)\n$/),
      stderr: "",
    });

    await cli.db.transaction(async (tx) => {
      await tx.execute(sql.raw("alter table audit_events disable trigger user"));
      await tx.execute(
        sql`update audit_events set metadata = '{}'::jsonb where tenant_id = ${piperId} and seq = 2`,
      );
      await tx.execute(sql.raw("alter table audit_events enable trigger user"));
    });
    const broken = await cli.run(["audit", "verify", "--tenant", piper]);
    expect(broken).toMatchObject({ code: 1, stderr: "" });
    expect(broken.stdout).toMatch(
      new RegExp(
        `^audit chain of ${piper}: BROKEN at #2 \\(event [0-9a-f-]{36}\\): \\S+; 1 events before it are valid\\n$`,
      ),
    );
  });

  test("tail --follow prints new events as NDJSON until interrupted, then exits 0", async () => {
    const follow = cli.start(["audit", "tail", "--follow", "--json", "-n", "1"]);
    const lines = () => follow.stdout().split("\n").filter(Boolean);
    await until(() => lines().length >= 1, "the first event");
    expect(JSON.parse(lines()[0]!)).toMatchObject({ seq: expect.any(Number), action: expect.any(String) });

    // The new tenant's events are in its own log; the platform log gets a change of its own.
    await cli.json(["tenants", "create", "--name", "Raviga", "--slug", cli.unique("raviga")]);
    const flag = cli.unique("followed");
    await cli.json(["flags", "create", flag]);
    await until(() => follow.stdout().includes(flag), "the new event");
    const printed = lines().map((line) => JSON.parse(line));
    expect(printed.slice(1).map((event) => event.action)).toEqual(["flag.created"]);
    expect(printed[1]).toMatchObject({ resource: { type: "flag" }, metadata: expect.anything() });

    follow.interrupt();
    expect(await follow.done).toMatchObject({ code: 0, stderr: "" });
  });

  test("tail --follow of another tenant's log records one audit.read for the whole command, not one per poll", async () => {
    const before = (await readsOfPiper()).length;
    const follow = cli.start(["audit", "tail", "--tenant", piper, "--follow", "--json", "-n", "1"]);
    await until(() => follow.stdout().length > 0, "the first event");
    // Each change lands in piper's log and is printed by a later poll.
    await cli.json(["tenants", "activate", piper]);
    await until(() => follow.stdout().includes('"tenant.activated"'), "the activation");
    await cli.json(["tenants", "suspend", piper, "--reason", "followed"]);
    await until(() => follow.stdout().includes('"followed"'), "the suspension");
    await Bun.sleep(2_100); // at least two more polls, one a second
    follow.interrupt();
    const done = await follow.done;
    expect(done).toMatchObject({ code: 0, stderr: "" });

    const reads = await readsOfPiper();
    expect(reads).toHaveLength(before + 1);
    expect(reads.at(-1)).toMatchObject({
      actorType: "cli",
      outcome: "success",
      resourceType: "audit_log",
      userAgent: "saasctl",
      metadata: { follow: true, cursor: null },
    });
    expect(done.stdout.split("\n").filter((l) => l.includes('"audit.read"')).length).toBeLessThanOrEqual(1);
  });

  test("--help shows an example on every audit command", async () => {
    for (const command of ["tail", "verify"]) {
      const help = await cli.run(["audit", command, "--help"]);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Example:\n  saasctl audit ${command}`);
    }
  });
});
