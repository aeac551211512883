import { beforeAll, describe, expect, test } from "bun:test";
import { asc, eq } from "drizzle-orm";
import { auditEvents, tenants as tenantRows } from "../../src/adapters/db/schema";
import { type CliHarness, cliHarness, OS_USER } from "../support/cli";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

let cli: CliHarness;
let acme: string;
let globex: string;
beforeAll(async () => {
  cli = await cliHarness();
  acme = cli.unique("acme");
  globex = cli.unique("globex");
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

/** The rows of a table, page after page, following the `more: --cursor` line. */
async function tableRows(args: string[], options: { tty?: boolean; env?: Record<string, string> } = {}) {
  const pages: string[] = [];
  let cursor: string | undefined;
  do {
    const res = await cli.run([...args, "--limit", "200", ...(cursor ? ["--cursor", cursor] : [])], options);
    expect(res).toMatchObject({ code: 0, stderr: "" });
    pages.push(res.stdout);
    cursor = /^more: --cursor (\S+)$/m.exec(res.stdout)?.[1];
  } while (cursor);
  return pages;
}

describe("saasctl tenants", () => {
  test("create prints the tenant; --json gives its fields; a taken or reserved slug exits 1", async () => {
    const human = await cli.run(["tenants", "create", "--name", "Acme Inc", "--slug", acme, "--plan", "pro"]);
    expect(human).toMatchObject({ code: 0, stderr: "" });
    expect(human.stdout).toStartWith(`tenant ${acme} created\n`);
    expect(human.stdout).toMatch(/^status +active$/m);

    const json = await cli.json(["tenants", "create", "--name", "Globex", "--slug", globex]);
    expect(json).toEqual({ ...TENANT_SHAPE, name: "Globex", slug: globex, plan: "free", status: "active" });
    const [stored] = await cli.db.select().from(tenantRows).where(eq(tenantRows.slug, globex));
    expect(stored).toMatchObject({ id: json.id, name: "Globex", plan: "free", status: "active" });

    const taken = await cli.run(["tenants", "create", "--name", "Again", "--slug", acme]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toStartWith("saasctl: SLUG_TAKEN: ");
    expect(taken.stderr.trim().split("\n")).toHaveLength(1);
    const reserved = await cli.run(["tenants", "create", "--name", "Admin", "--slug", "admin"]);
    expect(reserved.code).toBe(1);
    expect(reserved.stderr).toContain("reserved");
    expect(await cli.db.select().from(tenantRows).where(eq(tenantRows.slug, "admin"))).toEqual([]);
  });

  test("create without --name is a usage error (2) that shows the help", async () => {
    const res = await cli.run(["tenants", "create", "--slug", cli.unique("nameless")]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("required option '--name <name>' not specified");
    expect(res.stderr).toContain("Usage: saasctl tenants create");
  });

  test("list prints an aligned table, oldest first, coloured only on a terminal without NO_COLOR", async () => {
    const pages = await tableRows(["tenants", "list"]);
    const rows = pages.flatMap((page) => {
      const [header, ...lines] = page.trimEnd().split("\n");
      expect(header).toMatch(/^SLUG +NAME +PLAN +STATUS +CREATED +ID$/);
      const statusColumn = header!.indexOf("STATUS");
      const body = lines.filter((line) => !line.startsWith("more: "));
      for (const row of body) expect(row.slice(statusColumn)).toMatch(/^(active|suspended|cancelled) /);
      return body.map((row) => row.split(" ")[0]);
    });
    expect(rows.filter((slug) => slug === acme || slug === globex)).toEqual([acme, globex]);
    expect(pages.join("")).not.toContain("\x1b["); // not a terminal: no colour

    const [terminal] = await tableRows(["tenants", "list"], { tty: true, env: { NO_COLOR: "" } });
    expect(terminal).toContain("\x1b[1mSLUG"); // a terminal without NO_COLOR: bold header
    expect(terminal).toContain("\x1b[32mactive");
    const [noColour] = await tableRows(["tenants", "list"], { tty: true });
    expect(noColour).toContain("SLUG");
    expect(noColour).not.toContain("\x1b[");
  });

  test("list --json gives {items, nextCursor} pages that continue where the last stopped; bad options exit 2", async () => {
    const first = await cli.json(["tenants", "list", "--limit", "2"]);
    expect(first.items).toHaveLength(2);
    expect(first.items[0]).toEqual(TENANT_SHAPE);
    expect(first.nextCursor).toEqual(expect.any(String));
    const next = await cli.json(["tenants", "list", "--limit", "2", "--cursor", first.nextCursor]);
    const seen = [...first.items, ...next.items].map((t: { id: string }) => t.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort()); // UUIDv7 ids: oldest first

    const all = await cli.all(["tenants", "list"]);
    const stored = await cli.db.select({ id: tenantRows.id }).from(tenantRows).orderBy(asc(tenantRows.id));
    expect(all.map((t) => t.id)).toEqual(stored.map((t) => t.id));

    expect((await cli.run(["tenants", "list", "--limit", "0"])).code).toBe(2);
    expect((await cli.run(["tenants", "list", "--status", "gone"])).code).toBe(2);
  });

  test("show finds a tenant by slug or by id; an unknown one exits 1 TENANT_NOT_FOUND", async () => {
    const bySlug = await cli.json(["tenants", "show", acme]);
    expect(bySlug).toMatchObject({ slug: acme, name: "Acme Inc", plan: "pro" });
    expect(await cli.json(["tenants", "show", bySlug.id])).toEqual(bySlug);
    const human = await cli.run(["tenants", "show", acme]);
    expect(human.stdout).toMatch(new RegExp(`^id +[0-9a-f-]{36}\\nslug +${acme}\\nname +Acme Inc\\n`));
    const missing = await cli.run(["tenants", "show", cli.unique("nope")]);
    expect(missing).toEqual({ code: 1, stdout: "", stderr: "saasctl: TENANT_NOT_FOUND: No such tenant.\n" });
  });

  test("suspend and activate follow the lifecycle, audited with the reason and the OS user as actor", async () => {
    const suspended = await cli.run(["tenants", "suspend", globex, "--reason", "unpaid invoice"]);
    expect(suspended).toMatchObject({ code: 0, stdout: `tenant ${globex} suspended\n` });
    const listed = await cli.all(["tenants", "list", "--status", "suspended"]);
    expect(listed.map((t) => t.slug)).toContain(globex);
    expect(new Set(listed.map((t) => t.status))).toEqual(new Set(["suspended"]));
    const again = await cli.run(["tenants", "suspend", globex]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe("saasctl: INVALID_TRANSITION: A suspended tenant cannot be suspended.\n");
    expect(await cli.json(["tenants", "activate", globex])).toMatchObject({ status: "active" });

    const platform = await cli.run(["tenants", "suspend", "platform"]);
    expect(platform.code).toBe(1);
    expect(platform.stderr).toContain("INVALID_TRANSITION");

    const { id } = await cli.json(["tenants", "show", globex]);
    const events = await cli.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.tenantId, id))
      .orderBy(asc(auditEvents.seq));
    expect(events.map((e) => [e.action, e.actorType, e.actorId])).toEqual([
      ["tenant.created", "cli", OS_USER],
      ["tenant.suspended", "cli", OS_USER],
      ["tenant.activated", "cli", OS_USER],
    ]);
    expect(events[1]!.metadata).toEqual({ from: "active", to: "suspended", reason: "unpaid invoice" });
  });

  test("cancel needs --yes without a terminal (2); on a terminal it asks, and only yes cancels", async () => {
    const refused = await cli.run(["tenants", "cancel", globex]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toStartWith("error: stdin is not a terminal, so nobody can confirm: pass --yes.");

    const declined = await cli.run(["tenants", "cancel", globex], { tty: true, answers: ["n"] });
    expect(declined).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "Cancel tenant " +
        `${globex} (Globex)? This is final and ends every session. [y/N] ` +
        "saasctl: not confirmed; nothing changed.\n",
    });
    expect((await cli.json(["tenants", "show", globex])).status).toBe("active");

    const confirmed = await cli.run(["tenants", "cancel", globex], { tty: true, answers: ["y"] });
    expect(confirmed).toMatchObject({ code: 0, stdout: `tenant ${globex} cancelled\n` });
    expect((await cli.json(["tenants", "show", globex])).status).toBe("cancelled");

    const json = await cli.json(["tenants", "cancel", acme, "--yes", "--reason", "closed"]);
    expect(json).toMatchObject({ slug: acme, status: "cancelled" });
    const final = await cli.run(["tenants", "activate", acme]);
    expect(final.code).toBe(1);
    expect(final.stderr).toContain("INVALID_TRANSITION");
    const [stored] = await cli.db.select().from(tenantRows).where(eq(tenantRows.slug, acme));
    expect(stored?.status).toBe("cancelled");
  });

  test("--help shows an example on every tenants command", async () => {
    for (const command of ["list", "show", "create", "suspend", "activate", "cancel"]) {
      const help = await cli.run(["tenants", command, "--help"]);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Example:\n  saasctl tenants ${command}`);
    }
  });
});
