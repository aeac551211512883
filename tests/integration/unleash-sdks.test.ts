import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { InMemStorageProvider, initialize, type Unleash } from "unleash-client";
import { InMemoryStorageProvider, UnleashClient } from "unleash-proxy-client";
import { type TestApp, testApp } from "../support/app";
import { allowDatabaseStartup } from "../support/slow-setup";
import { PROOF_FLAGS, PROOF_SEGMENTS, proofContexts } from "../support/unleash-proof-flags";

allowDatabaseStartup();

/**
 * The official Unleash SDKs, configured as their documentation says, against this server on a real
 * port: their answers must equal POST /api/v1/features/evaluate's for the same contexts.
 */
const CONTEXTS = 1_000;

let t: TestApp;
let base: string;
let admin: { accessToken: string };
let clientKey: string;
let frontendKey: string;
const flagIds = new Map<string, string>();
const keyOf = (name: string) => `${name}-${suffix}`;
const suffix = Math.random().toString(36).slice(2, 8);

async function post(path: string, body: unknown) {
  const res = await t.call("POST", path, { token: admin.accessToken, body });
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

beforeAll(async () => {
  t = await testApp();
  t.app.listen({ port: 0, hostname: "127.0.0.1", reusePort: false });
  base = `http://127.0.0.1:${t.app.server!.port}`;
  const team = await t.team();
  admin = team.admin;
  const segmentIds = new Map<string, string>();
  for (const segment of PROOF_SEGMENTS) {
    segmentIds.set(
      segment.name,
      (await post("/api/v1/features/segments", { ...segment, name: keyOf(segment.name) })).id,
    );
  }
  // Parents before the flags that depend on them: dependencies must exist when a flag is created.
  const ordered = Object.entries(PROOF_FLAGS).sort(
    ([a], [b]) => Number(a.startsWith("d-")) - Number(b.startsWith("d-")),
  );
  for (const [name, definition] of ordered) {
    const json = JSON.stringify(definition)
      .replace(/"seg:([a-z]+)"/g, (_, segment: string) => JSON.stringify(segmentIds.get(segment)))
      .replace(/"feature":"([a-z-]+)"/g, (_, parent: string) => `"feature":${JSON.stringify(keyOf(parent))}`);
    flagIds.set(name, (await post("/api/v1/features", { key: keyOf(name), ...JSON.parse(json) })).id);
  }
  clientKey = (await post("/api/v1/api-keys", { name: "node sdk", kind: "client" })).secret;
  frontendKey = (await post("/api/v1/api-keys", { name: "browser sdk", kind: "frontend" })).secret;
});

afterAll(async () => {
  await t.app.stop(true);
});

const names = Object.keys(PROOF_FLAGS);

type Answer = { enabled: boolean; variant: { name: string; enabled: boolean; payload?: unknown } };

/** What our own evaluate answers for each context: name -> answer. */
async function evaluated(context: ReturnType<typeof proofContexts>[number]): Promise<Map<string, Answer>> {
  const res = await t.call("POST", "/api/v1/features/evaluate", {
    token: admin.accessToken,
    body: { keys: names.map(keyOf), context },
  });
  if (res.status !== 200) throw new Error(`evaluate: ${res.status} ${JSON.stringify(res.body)}`);
  return new Map(
    (res.body.items as (Answer & { key: string })[]).map(({ key, enabled, variant }) => [
      key,
      { enabled, variant },
    ]),
  );
}

const shown = ({ enabled, variant }: Answer) => ({
  enabled,
  variant: {
    name: variant.name,
    enabled: variant.enabled,
    ...(variant.payload ? { payload: variant.payload } : {}),
  },
});

function waitFor(sdk: { once(event: string, fn: (...args: unknown[]) => void): unknown }, event: string) {
  return new Promise<void>((resolve, reject) => {
    sdk.once(event, () => resolve());
    sdk.once("error", (error) => reject(error));
  });
}

function nodeSdk(refreshInterval: number): Unleash {
  return initialize({
    url: `${base}/api/`,
    appName: "proof",
    customHeaders: { Authorization: clientKey },
    refreshInterval,
    disableMetrics: true,
    storageProvider: new InMemStorageProvider(),
  });
}

describe("unleash-client (Node SDK) against /api/client", () => {
  test(`answers as POST /api/v1/features/evaluate for ${CONTEXTS} contexts over every strategy, operator, segment, variant and dependency`, async () => {
    const sdk = nodeSdk(60_000);
    try {
      await waitFor(sdk, "synchronized");
      let compared = 0;
      const outcomes = new Map<string, Set<string>>(names.map((name) => [name, new Set()]));
      for (const context of proofContexts(CONTEXTS)) {
        const ours = await evaluated(context);
        for (const name of names) {
          const answer = ours.get(keyOf(name))!;
          outcomes.get(name)!.add(`${answer.enabled}/${answer.variant.name}`);
        }
        const sdkContext = { ...context, currentTime: new Date(context.currentTime) };
        for (const name of names) {
          const theirs = shown({
            enabled: sdk.isEnabled(keyOf(name), sdkContext),
            variant: sdk.getVariant(keyOf(name), sdkContext),
          });
          expect({ name, context, ...theirs }).toEqual({ name, context, ...shown(ours.get(keyOf(name))!) });
          compared++;
        }
      }
      expect(compared).toBe(CONTEXTS * names.length);
      // The contexts reach both answers of every flag but those built to give one.
      const constant = names.filter((name) => outcomes.get(name)!.size < 2).sort();
      expect(constant).toEqual([
        "s-default",
        "s-disabled",
        "s-flex-random-all",
        "s-gradual-random-none",
        "s-hostname",
      ]);
      expect([...outcomes.get("v-flag-variants")!].sort()).toEqual(["true/blue", "true/green", "true/red"]);
    } finally {
      sdk.destroy();
    }
  });

  test("a flag changed through the API changes the SDK's answer after its next poll", async () => {
    const sdk = nodeSdk(100);
    try {
      await waitFor(sdk, "synchronized");
      const flag = keyOf("s-default");
      expect(sdk.isEnabled(flag)).toBe(true);
      const changed = waitFor(sdk, "changed");
      const res = await t.call("PUT", `/api/v1/features/${flagIds.get("s-default")}`, {
        token: admin.accessToken,
        body: { enabled: false },
      });
      expect(res.status).toBe(200);
      await changed;
      expect(sdk.isEnabled(flag)).toBe(false);
    } finally {
      sdk.destroy();
      await t.call("PUT", `/api/v1/features/${flagIds.get("s-default")}`, {
        token: admin.accessToken,
        body: { enabled: true },
      });
    }
  });
});

describe("unleash-proxy-client (browser SDK, under Bun) against /api/frontend", () => {
  function browserSdk(refreshInterval: number, context: Record<string, unknown> = {}) {
    return new UnleashClient({
      url: `${base}/api/frontend`,
      clientKey: frontendKey,
      appName: "proof",
      refreshInterval,
      disableRefresh: refreshInterval === 0,
      disableMetrics: true,
      storageProvider: new InMemoryStorageProvider(),
      context,
    });
  }

  test(`answers as POST /api/v1/features/evaluate for ${CONTEXTS} contexts`, async () => {
    const contexts = proofContexts(CONTEXTS);
    const sdk = browserSdk(0, contexts[0]);
    try {
      const ready = waitFor(sdk, "ready");
      await sdk.start();
      await ready;
      let compared = 0;
      for (const context of contexts) {
        await sdk.updateContext(context);
        const ours = await evaluated(context);
        for (const name of names) {
          const theirs = shown({ enabled: sdk.isEnabled(keyOf(name)), variant: sdk.getVariant(keyOf(name)) });
          expect({ name, context, ...theirs }).toEqual({ name, context, ...shown(ours.get(keyOf(name))!) });
          compared++;
        }
      }
      expect(compared).toBe(CONTEXTS * names.length);
    } finally {
      sdk.stop();
    }
  });

  test("a flag changed through the API changes the SDK's answer after its next poll", async () => {
    const flag = keyOf("s-user-ids");
    const sdk = browserSdk(1, { userId: "u5" });
    try {
      const ready = waitFor(sdk, "ready");
      await sdk.start();
      await ready;
      expect(sdk.isEnabled(flag)).toBe(true);
      const updated = waitFor(sdk, "update");
      const res = await t.call("PUT", `/api/v1/features/${flagIds.get("s-user-ids")}`, {
        token: admin.accessToken,
        body: { strategies: [{ name: "userWithId", parameters: { userIds: "u6" } }] },
      });
      expect(res.status).toBe(200);
      await updated;
      expect(sdk.isEnabled(flag)).toBe(false);
    } finally {
      sdk.stop();
    }
  });
});

describe("OpenFeature's Unleash provider (@openfeature/unleash-web-provider) against /api/frontend", () => {
  test("booleans and variant payloads through OpenFeature equal evaluate's answers for 200 contexts", async () => {
    const { OpenFeature } = await import("@openfeature/web-sdk");
    const { UnleashWebProvider } = await import("@openfeature/unleash-web-provider");
    const contexts = proofContexts(200);
    const flatten = ({ properties, ...fields }: (typeof contexts)[number]) => ({ ...fields, ...properties });
    await OpenFeature.setContext(flatten(contexts[0]!));
    await OpenFeature.setProviderAndWait(
      new UnleashWebProvider({
        url: `${base}/api/frontend`,
        clientKey: frontendKey,
        appName: "proof",
        disableRefresh: true,
        disableMetrics: true,
        storageProvider: new InMemoryStorageProvider(),
      }),
    );
    const client = OpenFeature.getClient();
    const variantFlag = keyOf("v-flag-variants");
    try {
      const payloads = new Set<string>();
      for (const context of contexts) {
        await OpenFeature.setContext(flatten(context));
        const ours = await evaluated(context);
        for (const name of names) {
          expect({ name, context, enabled: client.getBooleanValue(keyOf(name), false) }).toEqual({
            name,
            context,
            enabled: ours.get(keyOf(name))!.enabled,
          });
        }
        // Variant payloads: green carries a string, red a JSON document, blue none (the default).
        const variant = ours.get(variantFlag)!.variant;
        if (variant.name === "red") {
          expect(client.getObjectValue(variantFlag, {})).toEqual('{"shade":"dark"}');
        } else {
          expect(client.getStringValue(variantFlag, "none")).toBe(variant.name === "green" ? "g" : "none");
        }
        payloads.add(variant.name);
      }
      expect([...payloads].sort()).toEqual(["blue", "green", "red"]);
    } finally {
      await OpenFeature.close();
    }
  });
});
