import { Counter, type Registry } from "prom-client";

/*
 * prom-client hashes and validates the label object on every increment, labelled child or not: on
 * a request that counts five things that is a few microseconds, as much as the bare route it counts.
 * These keep each series' numbers in plain fields, where an increment is an addition, and hand them
 * to prom-client when it is scraped.
 */

export type Labels = Readonly<Record<string, string>>;

export interface TalliedCounter {
  /** The series of these label values; create it once and keep it. It is exposed from 0 on. */
  series(labels: Labels): { inc(by?: number): void };
}

/** A prom-client Counter whose series add up in plain numbers until a scrape collects them. */
export function talliedCounter(
  registry: Registry,
  config: { name: string; help: string; labelNames: readonly string[] },
): TalliedCounter {
  const tallies: { labels: Labels; pending: number }[] = [];
  new Counter({
    ...config,
    registers: [registry],
    collect() {
      for (const tally of tallies) {
        this.inc(tally.labels, tally.pending);
        tally.pending = 0;
      }
    },
  });
  return {
    series(labels) {
      const tally = { labels, pending: 0 };
      tallies.push(tally);
      return {
        inc(by = 1) {
          tally.pending += by;
        },
      };
    },
  };
}

export interface TalliedHistogram {
  /** The series of these label values; create it once and keep it. */
  series(labels: Labels): { observe(value: number): void };
}

interface HistogramSeries {
  labels: Labels;
  /** Observations per bucket (not cumulative); the last counts those above every bound. */
  buckets: number[];
  sum: number;
  count: number;
}

/**
 * A histogram in the registry's exposition format (`_bucket` with `le`, `_sum`, `_count`), kept in
 * plain numbers. prom-client offers no way to add to a histogram but one observation at a time, so
 * this is registered as a metric of its own: an object with the fields and `get()` the registry reads.
 */
export function talliedHistogram(
  registry: Registry,
  config: { name: string; help: string; buckets: readonly number[] },
): TalliedHistogram {
  const bounds = [...config.buckets].sort((a, b) => a - b);
  const all: HistogramSeries[] = [];
  const bucketName = `${config.name}_bucket`;
  registry.registerMetric({
    name: config.name,
    help: config.help,
    type: "histogram",
    aggregator: "sum",
    get: async () => ({
      name: config.name,
      help: config.help,
      type: "histogram",
      aggregator: "sum",
      values: all.flatMap(({ labels, buckets, sum, count }) => {
        let cumulative = 0;
        return [
          ...bounds.map((le, i) => {
            cumulative += buckets[i] ?? 0;
            return { metricName: bucketName, labels: { le, ...labels }, value: cumulative };
          }),
          { metricName: bucketName, labels: { le: "+Inf", ...labels }, value: count },
          { metricName: `${config.name}_sum`, labels, value: sum },
          { metricName: `${config.name}_count`, labels, value: count },
        ];
      }),
    }),
    reset() {
      for (const series of all) {
        series.buckets.fill(0);
        series.sum = 0;
        series.count = 0;
      }
    },
  } as unknown as Parameters<Registry["registerMetric"]>[0]);
  return {
    series(labels) {
      const series: HistogramSeries = {
        labels,
        buckets: new Array(bounds.length + 1).fill(0),
        sum: 0,
        count: 0,
      };
      all.push(series);
      return {
        observe(value) {
          let i = 0;
          while (i < bounds.length && value > (bounds[i] as number)) i++;
          series.buckets[i] = (series.buckets[i] ?? 0) + 1;
          series.sum += value;
          series.count++;
        },
      };
    },
  };
}
