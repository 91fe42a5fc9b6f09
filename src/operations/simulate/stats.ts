import type { Histogram, Interval, Quantiles } from "./model.ts";

const Z95 = 1.959964;

/**
 * A quantile of sorted values with its 95 % confidence interval from the order statistics (the
 * binomial bounds on the rank): distribution-free, and cheap enough for every sweep point.
 */
export function quantile(sorted: Float64Array, q: number): Interval {
  const n = sorted.length;
  if (n === 0) return { value: 0, low: 0, high: 0 };
  const at = (i: number) => sorted[Math.min(n - 1, Math.max(0, i))] as number;
  const rank = q * (n - 1);
  const lower = Math.floor(rank);
  const value = at(lower) + (at(lower + 1) - at(lower)) * (rank - lower);
  const spread = Z95 * Math.sqrt(n * q * (1 - q));
  return { value, low: at(Math.floor(q * n - spread)), high: at(Math.ceil(q * n + spread)) };
}

export function quantiles(values: Float64Array): Quantiles {
  const sorted = values.slice().sort();
  return { p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), p99: quantile(sorted, 0.99) };
}

/** A proportion with its Wilson 95 % interval (sound near 0 and 1, where the outcomes of runs sit). */
export function proportion(hits: number, n: number): Interval {
  if (n === 0) return { value: 0, low: 0, high: 1 };
  const p = hits / n;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { value: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export function histogram(values: Float64Array, bins = 30): Histogram {
  if (values.length === 0) return { fromMs: 0, widthMs: 0, counts: [] };
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const width = max > min ? (max - min) / bins : 1;
  const counts = new Array<number>(max > min ? bins : 1).fill(0);
  for (const v of values) {
    const i = Math.min(counts.length - 1, Math.floor((v - min) / width));
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return { fromMs: min, widthMs: width, counts };
}
