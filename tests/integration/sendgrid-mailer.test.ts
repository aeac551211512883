import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sendgridMailer } from "../../src/adapters/mail/sendgrid-mailer";

interface Received {
  path: string;
  authorization: string | null;
  body: any;
}

// A local stand-in for SendGrid's v3 API: records requests, answers like SendGrid (202, or 401).
let server: ReturnType<typeof Bun.serve>;
const received: Received[] = [];

beforeAll(() => {
  server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      const authorization = request.headers.get("authorization");
      received.push({ path: new URL(request.url).pathname, authorization, body: await request.json() });
      if (authorization !== "Bearer SG.valid-key") {
        return Response.json(
          { errors: [{ message: "The provided authorization grant is invalid" }] },
          { status: 401 },
        );
      }
      return new Response(null, { status: 202 });
    },
  });
});

afterAll(() => server.stop(true));

describe("sendgridMailer", () => {
  test("posts the message to /v3/mail/send with the key and the sender", async () => {
    const mailer = sendgridMailer({
      apiKey: "SG.valid-key",
      from: "no-reply@example.com",
      baseUrl: `http://127.0.0.1:${server.port}`,
    });
    await mailer.send({
      to: "ann@example.com",
      subject: "Verify",
      text: "Open the link",
      html: "<p>Open the link</p>",
    });

    const request = received.at(-1)!;
    expect(request.path).toBe("/v3/mail/send");
    expect(request.authorization).toBe("Bearer SG.valid-key");
    expect(request.body).toMatchObject({
      from: { email: "no-reply@example.com" },
      subject: "Verify",
      personalizations: [{ to: [{ email: "ann@example.com" }] }],
    });
    expect(request.body.content).toEqual(
      expect.arrayContaining([
        { type: "text/plain", value: "Open the link" },
        { type: "text/html", value: "<p>Open the link</p>" },
      ]),
    );
  });

  test("a refused send rejects, so the caller knows the mail did not go", async () => {
    const mailer = sendgridMailer({
      apiKey: "SG.revoked",
      from: "no-reply@example.com",
      baseUrl: `http://127.0.0.1:${server.port}`,
    });
    await expect(
      mailer.send({ to: "ann@example.com", subject: "s", text: "t", html: "<p>t</p>" }),
    ).rejects.toThrow();
  });

  test("two mailers with different keys do not share state", async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const good = sendgridMailer({ apiKey: "SG.valid-key", from: "a@example.com", baseUrl: base });
    sendgridMailer({ apiKey: "SG.other", from: "b@example.com", baseUrl: base });
    await good.send({ to: "c@example.com", subject: "s", text: "t", html: "<p>t</p>" });
    expect(received.at(-1)!.authorization).toBe("Bearer SG.valid-key");
  });
});
