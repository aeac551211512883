import { describe, expect, test } from "bun:test";
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { outboxMailer } from "../../src/adapters/mail/outbox-mailer";

describe("outboxMailer", () => {
  test("appends one JSON line per message, in order, creating the folder", async () => {
    const path = join(await mkdtemp(join(tmpdir(), "outbox-")), "nested", "outbox.jsonl");
    const sentAt = new Date("2026-01-01T00:00:00Z");
    const mailer = outboxMailer(path, { now: () => sentAt });
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        mailer.send({ to: `u${i}@example.com`, subject: `s${i}`, text: "t".repeat(5_000), html: "<p>h</p>" }),
      ),
    );
    const lines = (await readFile(path, "utf8")).trimEnd().split("\n");
    expect(lines).toHaveLength(25);
    expect(JSON.parse(lines[0]!)).toEqual({
      to: "u0@example.com",
      subject: "s0",
      text: "t".repeat(5_000),
      html: "<p>h</p>",
      sentAt: "2026-01-01T00:00:00.000Z",
    });
    expect(lines.map((l) => JSON.parse(l).to)).toEqual(
      Array.from({ length: 25 }, (_, i) => `u${i}@example.com`),
    );
  });

  const mode = async (path: string) => (await stat(path)).mode & 0o777;
  const message = { to: "u@example.com", subject: "s", text: "t", html: "h" };

  test("creates the file readable and writable by its owner only (0600)", async () => {
    const path = join(await mkdtemp(join(tmpdir(), "outbox-")), "outbox.jsonl");
    await outboxMailer(path, { now: () => new Date() }).send(message);
    expect(await mode(path)).toBe(0o600);
  });

  test("tightens an existing world-readable file to 0600 and keeps its lines", async () => {
    const path = join(await mkdtemp(join(tmpdir(), "outbox-")), "outbox.jsonl");
    await writeFile(path, '{"old":true}\n');
    await chmod(path, 0o644);
    await outboxMailer(path, { now: () => new Date() }).send(message);
    expect(await mode(path)).toBe(0o600);
    expect((await readFile(path, "utf8")).trimEnd().split("\n")).toHaveLength(2);
  });

  test("a file deleted while the server runs is created 0600 again", async () => {
    const path = join(await mkdtemp(join(tmpdir(), "outbox-")), "outbox.jsonl");
    const mailer = outboxMailer(path, { now: () => new Date() });
    await mailer.send(message);
    await rm(path);
    await mailer.send(message);
    expect(await mode(path)).toBe(0o600);
  });
});
