import { describe, expect, test } from "bun:test";
import { Counter, Histogram, Registry } from "prom-client";
import { talliedCounter, talliedHistogram } from "../../src/adapters/metrics/tallied-metrics";

/*
 * The tallied metrics must read exactly as prom-client's own would: the same observations through
 * both give the same exposition text.
 */

const BUCKETS = [0.001, 0.01, 0.1, 1];
const OBSERVATIONS = [0.0005, 0.001, 0.002, 0.05, 0.1, 0.7, 3, 0.0001];

describe("tallied metrics", () => {
  test("a histogram exposes what prom-client's Histogram exposes for the same observations", async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const config = { name: "request_seconds", help: "How long requests took" };
    const get = talliedHistogram(ours, { ...config, buckets: BUCKETS }).series({
      route: "/a",
      method: "GET",
    });
    const reference = new Histogram({
      ...config,
      buckets: BUCKETS,
      labelNames: ["route", "method"],
      registers: [theirs],
    });
    for (const value of OBSERVATIONS) {
      get.observe(value);
      reference.observe({ route: "/a", method: "GET" }, value);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  test("a counter exposes what prom-client's Counter exposes, its series from 0 on, and keeps counting after a scrape", async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const config = { name: "things_total", help: "Things", labelNames: ["kind"] };
    const counter = talliedCounter(ours, config);
    const a = counter.series({ kind: "a" });
    counter.series({ kind: "b" });
    const reference = new Counter({ ...config, registers: [theirs] });
    reference.inc({ kind: "a" }, 0);
    reference.inc({ kind: "b" }, 0);
    expect(await ours.metrics()).toBe(await theirs.metrics());

    a.inc();
    a.inc(4);
    reference.inc({ kind: "a" }, 5);
    expect(await ours.metrics()).toBe(await theirs.metrics());
    a.inc();
    reference.inc({ kind: "a" });
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });
});
