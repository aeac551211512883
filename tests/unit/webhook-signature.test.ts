import { describe, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { webhookHeaders } from "../../src/core/domain/webhook-signature";

const newSecret = () => `whsec_${randomBytes(24).toString("base64")}`;
const body = JSON.stringify({
  type: "user.created",
  timestamp: "2026-12-03T14:00:00.000Z",
  data: { id: "u1" },
});

describe("Standard Webhooks signing, checked by the specification's reference verifier", () => {
  test("the reference verifier accepts our headers and body and returns the payload", () => {
    const secret = newSecret();
    const headers = webhookHeaders([secret], "msg_1", new Date(), body);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  test("a changed body, id or timestamp is rejected", () => {
    const secret = newSecret();
    const headers = webhookHeaders([secret], "msg_1", new Date(), body);
    const verifier = new Webhook(secret);
    expect(() => verifier.verify(body.replace("u1", "u2"), { ...headers })).toThrow(WebhookVerificationError);
    expect(() => verifier.verify(body, { ...headers, "webhook-id": "msg_2" })).toThrow(
      WebhookVerificationError,
    );
    const later = String(Number(headers["webhook-timestamp"]) + 1);
    expect(() => verifier.verify(body, { ...headers, "webhook-timestamp": later })).toThrow(
      WebhookVerificationError,
    );
  });

  test("another secret does not verify", () => {
    const headers = webhookHeaders([newSecret()], "msg_1", new Date(), body);
    expect(() => new Webhook(newSecret()).verify(body, { ...headers })).toThrow(WebhookVerificationError);
  });

  test("during a rotation a receiver holding either the old or the new secret verifies", () => {
    const [current, previous] = [newSecret(), newSecret()];
    const headers = webhookHeaders([current, previous], "msg_1", new Date(), body);
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(new Webhook(current).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(new Webhook(previous).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  test("the timestamp is in seconds and an old one is refused by the verifier", () => {
    const secret = newSecret();
    const at = new Date(Date.now() - 10 * 60_000);
    const headers = webhookHeaders([secret], "msg_1", at, body);
    expect(headers["webhook-timestamp"]).toBe(String(Math.floor(at.getTime() / 1000)));
    expect(() => new Webhook(secret).verify(body, { ...headers })).toThrow(WebhookVerificationError);
  });
});
