import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fetchWebhookTransport, pinnedRequest } from "../../src/adapters/webhooks/fetch-webhook-transport";
import { checkedTarget } from "../../src/composition/webhook-delivery";
import type { HostResolver } from "../../src/core/ports/host-resolver";
import { makeCheckWebhookTarget } from "../../src/core/usecases/webhooks/check-webhook-target";

// The names below are under the reserved `.example` domain: the system resolver cannot find them, so a
// request that reaches the receiver was connected to the address the check resolved, not resolved again.

interface Seen {
  host: string | null;
  path: string;
  body: string;
}

/** A resolver answering from `answers` in turn (the last one repeats), counting its calls. */
function scriptedResolver(...answers: string[][]) {
  const calls: string[] = [];
  const resolver: HostResolver = {
    async addresses(host) {
      calls.push(host);
      return answers[Math.min(calls.length, answers.length) - 1] ?? [];
    },
  };
  return { resolver, calls };
}

function transportFor(
  resolver: HostResolver,
  options: { allowPrivateTargets?: boolean; tlsCa?: string } = {},
) {
  const check = makeCheckWebhookTarget(resolver, {
    allowHttp: true,
    allowPrivateTargets: options.allowPrivateTargets ?? true,
  });
  return fetchWebhookTransport({ check: checkedTarget(check), timeoutMs: 5_000, tlsCa: options.tlsCa });
}

describe("pinnedRequest", () => {
  test("swaps the host for the checked address and keeps the name for Host and SNI", () => {
    expect(pinnedRequest("https://hooks.example:8443/in?x=1", "203.0.113.7")).toEqual({
      href: "https://203.0.113.7:8443/in?x=1",
      host: "hooks.example:8443",
      serverName: "hooks.example",
    });
  });

  test("brackets an IPv6 address and leaves a default port out of Host", () => {
    expect(pinnedRequest("https://hooks.example/in", "2001:db8::7")).toEqual({
      href: "https://[2001:db8::7]/in",
      host: "hooks.example",
      serverName: "hooks.example",
    });
  });

  test("plain http and IP literals need no server name", () => {
    expect(pinnedRequest("http://hooks.example/in", "203.0.113.7").serverName).toBeNull();
    expect(pinnedRequest("https://[2001:db8::7]/in", "2001:db8::7")).toEqual({
      href: "https://[2001:db8::7]/in",
      host: "[2001:db8::7]",
      serverName: null,
    });
  });
});

describe("webhook delivery over http connects to the checked address", () => {
  const seen: Seen[] = [];
  const receiver = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      const url = new URL(request.url);
      seen.push({
        host: request.headers.get("host"),
        path: url.pathname + url.search,
        body: await request.text(),
      });
      return new Response("ok");
    },
  });
  afterAll(() => receiver.stop(true));

  test("the receiver gets the original Host header, path and query", async () => {
    const { resolver, calls } = scriptedResolver(["127.0.0.1"]);
    const result = await transportFor(resolver).post(
      `http://hooks.example:${receiver.port}/in?tenant=a`,
      { "content-type": "application/json" },
      '{"type":"webhook.test"}',
    );
    expect(result).toEqual({ kind: "answered", statusCode: 200, responseSnippet: "ok" });
    expect(seen.at(-1)).toEqual({
      host: `hooks.example:${receiver.port}`,
      path: "/in?tenant=a",
      body: '{"type":"webhook.test"}',
    });
    expect(calls).toEqual(["hooks.example"]);
  });

  test("a rebinding resolver is asked once per delivery, and each request goes where that answer said", async () => {
    // The first answer is where the receiver listens; the rebound one is a loopback address nobody serves.
    const { resolver, calls } = scriptedResolver(["127.0.0.1"], ["127.0.0.2"]);
    const transport = transportFor(resolver);
    const url = `http://rebind.example:${receiver.port}/in`;
    const before = seen.length;

    expect(await transport.post(url, {}, "{}")).toMatchObject({ kind: "answered", statusCode: 200 });
    expect(seen.length).toBe(before + 1);
    expect(calls).toEqual(["rebind.example"]);

    const second = await transport.post(url, {}, "{}");
    expect(second.kind).toBe("failed");
    expect(seen.length).toBe(before + 1);
    expect(calls).toEqual(["rebind.example", "rebind.example"]);
  });

  test("a name that rebinds to the platform's network is refused before any request", async () => {
    const { resolver, calls } = scriptedResolver(["127.0.0.1"]);
    const before = seen.length;
    const result = await transportFor(resolver, { allowPrivateTargets: false }).post(
      `http://rebind.example:${receiver.port}/in`,
      {},
      "{}",
    );
    expect(result).toEqual({
      kind: "failed",
      error: "The host resolves to a loopback, private, link-local, multicast or cloud-metadata address.",
    });
    expect(seen.length).toBe(before);
    expect(calls).toEqual(["rebind.example"]);
  });
});

/** A self-signed certificate for `hooks.example` made by openssl now, or null without openssl. */
function selfSignedCertificate(): { cert: string; key: string } | null {
  const openssl = Bun.which("openssl");
  if (openssl === null) return null;
  const dir = mkdtempSync(join(tmpdir(), "webhook-pinning-"));
  try {
    const made = Bun.spawnSync(
      [
        openssl,
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-subj",
        "/CN=hooks.example",
        "-addext",
        "subjectAltName=DNS:hooks.example",
        "-days",
        "1",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdout: "ignore", stderr: "pipe" },
    );
    if (made.exitCode !== 0) throw new Error(`openssl failed: ${made.stderr.toString()}`);
    return {
      cert: readFileSync(join(dir, "cert.pem"), "utf8"),
      key: readFileSync(join(dir, "key.pem"), "utf8"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const certificate = selfSignedCertificate();
if (certificate === null) console.log("webhook-pinning: openssl not found, skipping the https cases");

describe.skipIf(certificate === null)("webhook delivery over https to the checked address", () => {
  const { cert, key } = certificate ?? { cert: "", key: "" };
  const hosts: (string | null)[] = [];
  const receiver = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    tls: { cert, key },
    fetch(request) {
      hosts.push(request.headers.get("host"));
      return new Response("ok");
    },
  });
  afterAll(() => receiver.stop(true));

  test("verifies the certificate against the URL's name while connecting to the address", async () => {
    const { resolver, calls } = scriptedResolver(["127.0.0.1"]);
    const result = await transportFor(resolver, { tlsCa: cert }).post(
      `https://hooks.example:${receiver.port}/in`,
      {},
      "{}",
    );
    expect(result).toEqual({ kind: "answered", statusCode: 200, responseSnippet: "ok" });
    expect(hosts.at(-1)).toBe(`hooks.example:${receiver.port}`);
    expect(calls).toEqual(["hooks.example"]);
  });

  test("a certificate for another name is refused: verification stays on", async () => {
    const { resolver } = scriptedResolver(["127.0.0.1"]);
    const before = hosts.length;
    const result = await transportFor(resolver, { tlsCa: cert }).post(
      `https://other.example:${receiver.port}/in`,
      {},
      "{}",
    );
    expect(result.kind).toBe("failed");
    expect(result.kind === "failed" && result.error).toContain("ERR_TLS_CERT_ALTNAME_INVALID");
    expect(hosts.length).toBe(before);
  });

  test("without the test CA the self-signed receiver is not trusted", async () => {
    const { resolver } = scriptedResolver(["127.0.0.1"]);
    const result = await transportFor(resolver).post(`https://hooks.example:${receiver.port}/in`, {}, "{}");
    expect(result.kind).toBe("failed");
  });
});
