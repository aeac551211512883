import { describe, expect, test } from "bun:test";
import { Registry } from "prom-client";
import { countedCache, keyspaceOf } from "../../src/adapters/cache/counted-cache";
import { memoryCache } from "../../src/adapters/cache/memory-cache";
import { countedMailer } from "../../src/adapters/mail/counted-mailer";
import { createHttpMetrics } from "../../src/adapters/metrics/prometheus-http-metrics";
import { prometheusTelemetry } from "../../src/adapters/metrics/prometheus-telemetry";
import { cacheKeys } from "../../src/core/domain/cache-keys";
import { makeCacheAside } from "../../src/core/usecases/cache/cache-aside";
import { sampleValue } from "../support/metrics";

function telemetryOnRegistry() {
  const registry = new Registry();
  return { registry, telemetry: prometheusTelemetry(registry), read: () => registry.metrics() };
}

const message = { to: "ann@example.com", subject: "Hi", text: "Hi", html: "<p>Hi</p>" };

describe("prometheus telemetry", () => {
  test("every outcome's series exists at zero before its first event, so rates start from a known value", async () => {
    const { read } = telemetryOnRegistry();
    const exposition = await read();
    for (const outcome of ["success", "failure", "locked"])
      expect(exposition).toContain(`auth_sign_ins_total{outcome="${outcome}"} 0`);
    for (const result of ["enabled", "disabled", "not_found"])
      expect(exposition).toContain(`feature_flag_evaluations_total{result="${result}"} 0`);
    expect(exposition).toContain('mail_sends_total{outcome="failed"} 0');
    expect(exposition).toContain('audit_events_appended_total{outcome="denied"} 0');
  });

  test("flag evaluations add the request's count to their result", async () => {
    const { telemetry, read } = telemetryOnRegistry();
    telemetry.flagsEvaluated("enabled", 3);
    telemetry.flagsEvaluated("not_found", 0);
    telemetry.flagsEvaluated("enabled", 2);
    const exposition = await read();
    expect(sampleValue(exposition, "feature_flag_evaluations_total", { result: "enabled" })).toBe(5);
    expect(sampleValue(exposition, "feature_flag_evaluations_total", { result: "not_found" })).toBe(0);
  });
});

describe("counted mailer", () => {
  test("a send that fails is counted as failed and its error reaches the caller", async () => {
    const { telemetry, read } = telemetryOnRegistry();
    const refused = new Error("SendGrid said 401");
    const mailer = countedMailer(
      {
        send: async () => {
          throw refused;
        },
      },
      telemetry,
    );
    await expect(mailer.send(message)).rejects.toBe(refused);
    const exposition = await read();
    expect(sampleValue(exposition, "mail_sends_total", { outcome: "failed" })).toBe(1);
    expect(sampleValue(exposition, "mail_sends_total", { outcome: "sent" })).toBe(0);
  });

  test("a send that succeeds is counted as sent", async () => {
    const { telemetry, read } = telemetryOnRegistry();
    const delivered: string[] = [];
    await countedMailer({ send: async (m) => void delivered.push(m.to) }, telemetry).send(message);
    expect(delivered).toEqual([message.to]);
    expect(sampleValue(await read(), "mail_sends_total", { outcome: "sent" })).toBe(1);
  });
});

describe("counted cache", () => {
  test("reads are hits or misses under the key's keyspace", async () => {
    const { telemetry, read } = telemetryOnRegistry();
    const cache = countedCache(memoryCache(), telemetry);
    await cache.get(cacheKeys.session("s1"));
    await cache.set(cacheKeys.session("s1"), { live: true }, 60);
    expect(await cache.get(cacheKeys.session("s1"))).toEqual({ live: true });
    await cache.add(cacheKeys.tenantBySlug("acme"), { id: "t1" }, 60);
    await cache.get(cacheKeys.tenantBySlug("acme"));
    const exposition = await read();
    expect(sampleValue(exposition, "cache_misses_total", { keyspace: "session" })).toBe(1);
    expect(sampleValue(exposition, "cache_hits_total", { keyspace: "session" })).toBe(1);
    expect(sampleValue(exposition, "cache_hits_total", { keyspace: "tenant" })).toBe(1);
  });

  test("cache-aside reads through a peek count exactly as reads through get do", async () => {
    const { telemetry, read } = telemetryOnRegistry();
    const cache = countedCache(memoryCache(), telemetry);
    const entries = makeCacheAside({ cache, ttlSeconds: 60 });
    let loads = 0;
    const load = async () => ({ n: ++loads });
    expect(await entries.read(cacheKeys.user("u1"), load)).toEqual({ n: 1 });
    expect(await entries.read(cacheKeys.user("u1"), load)).toEqual({ n: 1 });
    expect(cache.peek?.(cacheKeys.user("nobody"))).toBeUndefined();
    const exposition = await read();
    expect(loads).toBe(1);
    expect(sampleValue(exposition, "cache_misses_total", { keyspace: "user" })).toBe(1);
    expect(sampleValue(exposition, "cache_hits_total", { keyspace: "user" })).toBe(1);
  });

  test("a value held in the process is answered without an async step, and fromCache's failure rejects", async () => {
    const entries = makeCacheAside({
      cache: countedCache(memoryCache(), telemetryOnRegistry().telemetry),
      ttlSeconds: 60,
    });
    await entries.read("k", async () => 1);
    const order: string[] = [];
    const reading = entries.read("k", async () => 2).then((v) => order.push(`read ${v}`));
    await Promise.resolve().then(() => order.push("next tick"));
    await reading;
    expect(order).toEqual(["read 1", "next tick"]);
    const failing = entries.read("k", async () => 3, {
      fromCache: () => {
        throw new Error("bad cached value");
      },
    });
    await expect(failing).rejects.toThrow("bad cached value");
  });

  test("every key the core builds has a keyspace of its own; any other key is 'other', never a new label", () => {
    expect(
      [
        cacheKeys.tenantBySlug("a"),
        cacheKeys.tenantById("b"),
        cacheKeys.session("c"),
        cacheKeys.user("d"),
        cacheKeys.rolePermissions("e"),
        cacheKeys.flagDefinitions(null),
      ].map(keyspaceOf),
    ).toEqual(["tenant", "tenant", "session", "user", "role-permissions", "flags"]);
    expect(keyspaceOf("attacker-chosen-7f3a:x")).toBe("other");
    expect(keyspaceOf("no-separator")).toBe("other");
  });
});

describe("HTTP metrics", () => {
  test("a method outside the standard set is labelled 'other'", async () => {
    const metrics = createHttpMetrics();
    metrics.observe("PURGE", "unmatched", 404, 0.001);
    metrics.observe("GET", "/health", 200, 0.001);
    const exposition = await metrics.registry.metrics();
    expect(
      sampleValue(exposition, "http_requests_total", {
        method: "other",
        route: "unmatched",
        status_code: "404",
      }),
    ).toBe(1);
    expect(exposition).not.toContain("PURGE");
  });
});

describe("saasctl", () => {
  test("loads no metrics library: nobody scrapes it, and prom-client takes a tenth of a second to load", async () => {
    const probe = `await import("./cli/program.ts");
      console.log(Object.keys(require.cache).filter((path) => path.includes("prom-client")).length);`;
    const child = Bun.spawn([process.execPath, "-e", probe], {
      cwd: `${import.meta.dir}/../..`,
      stderr: "inherit",
    });
    const loaded = (await new Response(child.stdout).text()).trim();
    expect(await child.exited).toBe(0);
    expect(loaded).toBe("0");
  });
});
