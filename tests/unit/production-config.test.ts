import { describe, expect, test } from "bun:test";
import { ConfigError, loadConfig } from "../../src/config";

const PRODUCTION = {
  NODE_ENV: "production",
  JWT_SECRET: "s".repeat(32),
  PUBLIC_URL: "https://api.example.com",
  APP_URL: "https://app.example.com",
};

/** The one-line message loadConfig refuses `env` with. */
function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).not.toContain("\n");
    return (error as Error).message;
  }
  throw new Error("loadConfig accepted the environment");
}

describe("the mail driver", () => {
  test("production without SENDGRID_API_KEY refuses to start instead of writing live links to a file", () => {
    expect(refusal(PRODUCTION)).toBe(
      "Invalid configuration: NODE_ENV=production needs SENDGRID_API_KEY, or MAIL_DRIVER=outbox to write mail to MAIL_OUTBOX_PATH on purpose.",
    );
  });

  test("production uses the outbox only when MAIL_DRIVER=outbox says so", () => {
    expect(
      loadConfig({ ...PRODUCTION, MAIL_DRIVER: "outbox", MAIL_OUTBOX_PATH: "/var/mail/out.jsonl" }).mail,
    ).toEqual({ driver: "outbox", outboxPath: "/var/mail/out.jsonl" });
  });

  test("production with SENDGRID_API_KEY sends through SendGrid", () => {
    expect(loadConfig({ ...PRODUCTION, SENDGRID_API_KEY: "SG.key" }).mail).toEqual({
      driver: "sendgrid",
      sendgridApiKey: "SG.key",
      from: "no-reply@example.com",
    });
  });

  test("MAIL_DRIVER=sendgrid without a key is refused, in any mode", () => {
    for (const env of [{ MAIL_DRIVER: "sendgrid" }, { ...PRODUCTION, MAIL_DRIVER: "sendgrid" }]) {
      expect(refusal(env)).toBe("Invalid configuration: MAIL_DRIVER=sendgrid needs SENDGRID_API_KEY.");
    }
  });

  test("MAIL_DRIVER=outbox wins over a SENDGRID_API_KEY left in the environment", () => {
    expect(loadConfig({ SENDGRID_API_KEY: "SG.key", MAIL_DRIVER: "outbox" }).mail.driver).toBe("outbox");
  });

  test("in development the default follows SENDGRID_API_KEY", () => {
    expect(loadConfig({}).mail.driver).toBe("outbox");
    expect(loadConfig({ SENDGRID_API_KEY: "SG.key" }).mail.driver).toBe("sendgrid");
  });

  test("an unknown MAIL_DRIVER names the choices", () => {
    expect(refusal({ MAIL_DRIVER: "smtp" })).toContain("MAIL_DRIVER must be one of sendgrid, outbox");
  });
});

describe("the URLs in emailed links", () => {
  test.each(["APP_URL", "PUBLIC_URL"])("production refuses to start without %s", (name) => {
    const env: Record<string, string> = { ...PRODUCTION, SENDGRID_API_KEY: "SG.key" };
    delete env[name];
    expect(refusal(env)).toBe(
      `Invalid configuration: ${name} is required when NODE_ENV=production (the base of the links mailed to users).`,
    );
  });

  test("outside production they default to the local server", () => {
    expect(loadConfig({ PORT: "9000" }).http).toMatchObject({
      publicUrl: "http://localhost:9000",
      appUrl: "http://localhost:9000",
    });
  });
});
