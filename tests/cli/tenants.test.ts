import { beforeAll, describe, expect, test } from "bun:test";
import { asc, eq } from "drizzle-orm";
import { auditEvents } from "../../src/adapters/db/schema";
import { readCliDatabase, saasctl, saasctlJson, seededCliEnv } from "../support/saasctl";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

/** The OS user running the tests, as the system names them (and the CLI, a child process, too). */
const OS_USER = Bun.spawnSync(["id", "-un"]).stdout.toString().trim();

let env: Record<string, string>;
beforeAll(async () => {
  env = await seededCliEnv();
});

const TENANT_SHAPE = {
  id: expect.stringMatching(/^[0-9a-f-]{36}$/),
  name: expect.any(String),
  slug: expect.any(String),
  domain: null,
  plan: expect.any(String),
  status: expect.any(String),
  settings: {},
  createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
  updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
};

describe("saasctl tenants", () => {
  test("create prints the tenant; --json gives its fields; a taken or reserved slug exits 1", async () => {
    const human = await saasctl(
      ["tenants", "create", "--name", "Acme Inc", "--slug", "acme", "--plan", "pro"],
      env,
    );
    expect(human).toMatchObject({ code: 0, stderr: "" });
    expect(human.stdout).toStartWith("tenant acme created\n");
    expect(human.stdout).toMatch(/^status +active$/m);

    const json = await saasctlJson(["tenants", "create", "--name", "Globex", "--slug", "globex"], env);
    expect(json).toEqual({ ...TENANT_SHAPE, name: "Globex", slug: "globex", plan: "free", status: "active" });

    const taken = await saasctl(["tenants", "create", "--name", "Again", "--slug", "acme"], env);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toStartWith("saasctl: SLUG_TAKEN: ");
    expect(taken.stderr.trim().split("\n")).toHaveLength(1);
    const reserved = await saasctl(["tenants", "create", "--name", "Admin", "--slug", "admin"], env);
    expect(reserved.code).toBe(1);
    expect(reserved.stderr).toContain("reserved");
  });

  test("create without --name is a usage error (2) that shows the help", async () => {
    const res = await saasctl(["tenants", "create", "--slug", "nameless"], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("required option '--name <name>' not specified");
  });

  test("list prints an aligned table, coloured only on a terminal without NO_COLOR; --json gives {items, nextCursor}", async () => {
    const table = await saasctl(["tenants", "list"], env);
    expect(table.code).toBe(0);
    const [header, ...rows] = table.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^SLUG +NAME +PLAN +STATUS +CREATED +ID$/);
    const statusColumn = header!.indexOf("STATUS");
    for (const row of rows) expect(row.slice(statusColumn)).toMatch(/^(active|suspended|cancelled) /);
    expect(rows.map((row) => row.split(" ")[0])).toEqual(["platform", "acme", "globex"]);
    expect(table.stdout).not.toContain("\x1b["); // not a terminal: no colour

    const page = await saasctlJson(["tenants", "list", "--limit", "2"], env);
    expect(page.items).toHaveLength(2);
    expect(page.items[0]).toEqual({
      ...TENANT_SHAPE,
      slug: "platform",
      name: "Platform",
      plan: "platform",
      status: "active",
    });
    const rest = await saasctlJson(["tenants", "list", "--cursor", page.nextCursor], env);
    expect(rest).toEqual({ items: [expect.objectContaining({ slug: "globex" })], nextCursor: null });

    const terminal = await saasctl(["tenants", "list"], { ...env, NO_COLOR: "" }, { tty: true });
    expect(terminal.stdout).toContain("\x1b[1mSLUG"); // a terminal without NO_COLOR: bold header
    expect(terminal.stdout).toContain("\x1b[32mactive");
    const noColour = await saasctl(["tenants", "list"], env, { tty: true });
    expect(noColour.stdout).toContain("SLUG");
    expect(noColour.stdout).not.toContain("\x1b[");

    expect((await saasctl(["tenants", "list", "--limit", "0"], env)).code).toBe(2);
    expect((await saasctl(["tenants", "list", "--status", "gone"], env)).code).toBe(2);
  });

  test("show finds a tenant by slug or by id; an unknown one exits 1 TENANT_NOT_FOUND", async () => {
    const bySlug = await saasctlJson(["tenants", "show", "acme"], env);
    expect(bySlug).toMatchObject({ slug: "acme", name: "Acme Inc", plan: "pro" });
    expect(await saasctlJson(["tenants", "show", bySlug.id], env)).toEqual(bySlug);
    const human = await saasctl(["tenants", "show", "acme"], env);
    expect(human.stdout).toMatch(/^id +[0-9a-f-]{36}\nslug +acme\nname +Acme Inc\n/);
    const missing = await saasctl(["tenants", "show", "nope"], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("saasctl: TENANT_NOT_FOUND: No such tenant.\n");
  });

  test("suspend and activate follow the lifecycle, audited with the reason and the OS user as actor", async () => {
    const suspended = await saasctl(["tenants", "suspend", "globex", "--reason", "unpaid invoice"], env);
    expect(suspended).toMatchObject({ code: 0, stdout: "tenant globex suspended\n" });
    expect((await saasctlJson(["tenants", "list", "--status", "suspended"], env)).items).toEqual([
      expect.objectContaining({ slug: "globex", status: "suspended" }),
    ]);
    const again = await saasctl(["tenants", "suspend", "globex"], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe("saasctl: INVALID_TRANSITION: A suspended tenant cannot be suspended.\n");
    expect(await saasctlJson(["tenants", "activate", "globex"], env)).toMatchObject({ status: "active" });

    const platform = await saasctl(["tenants", "suspend", "platform"], env);
    expect(platform.code).toBe(1);
    expect(platform.stderr).toContain("INVALID_TRANSITION");

    const { id } = await saasctlJson(["tenants", "show", "globex"], env);
    const events = await readCliDatabase(env, (db) =>
      db.select().from(auditEvents).where(eq(auditEvents.tenantId, id)).orderBy(asc(auditEvents.seq)),
    );
    expect(events.map((e) => [e.action, e.actorType, e.actorId])).toEqual([
      ["tenant.created", "cli", OS_USER],
      ["tenant.suspended", "cli", OS_USER],
      ["tenant.activated", "cli", OS_USER],
    ]);
    expect(events[1]!.metadata).toEqual({ from: "active", to: "suspended", reason: "unpaid invoice" });
  });

  test("cancel needs --yes without a terminal (2); on a terminal it asks, and only yes cancels", async () => {
    const refused = await saasctl(["tenants", "cancel", "globex"], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toStartWith("error: stdin is not a terminal, so nobody can confirm: pass --yes.");

    const declined = await saasctl(["tenants", "cancel", "globex"], env, { tty: true, stdin: "n\n" });
    expect(declined.code).toBe(1);
    expect(declined.stdout).toContain(
      "Cancel tenant globex (Globex)? This is final and ends every session. [y/N]",
    );
    expect(declined.stdout).toContain("saasctl: not confirmed; nothing changed.");
    expect((await saasctlJson(["tenants", "show", "globex"], env)).status).toBe("active");

    const confirmed = await saasctl(["tenants", "cancel", "globex"], env, { tty: true, stdin: "y\n" });
    expect(confirmed.code).toBe(0);
    expect(confirmed.stdout).toContain("tenant globex cancelled");
    expect((await saasctlJson(["tenants", "show", "globex"], env)).status).toBe("cancelled");

    const json = await saasctlJson(["tenants", "cancel", "acme", "--yes", "--reason", "closed"], env);
    expect(json).toMatchObject({ slug: "acme", status: "cancelled" });
    const final = await saasctl(["tenants", "activate", "acme"], env);
    expect(final.code).toBe(1);
    expect(final.stderr).toContain("INVALID_TRANSITION");
  });

  test("--help shows an example on every tenants command", async () => {
    for (const command of ["list", "show", "create", "suspend", "activate", "cancel"]) {
      const help = await saasctl(["tenants", command, "--help"], env);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Example:\n  saasctl tenants ${command}`);
    }
  });
});
