/**
 * How a measured value becomes a 1–6 score beside the survey's: linear, clamped, rounded to one
 * decimal. These are the only two mappings; docs/learning.md names each indicator's target.
 */

/** Higher is better: 0 → 1, `target` or more → 6. */
export function towards(value: number, target: number): number {
  return round1(1 + 5 * Math.min(1, Math.max(0, value / target)));
}

/** Lower is better: `best` or less → 6, `worst` or more → 1. */
export function below(value: number, best: number, worst: number): number {
  return round1(1 + 5 * Math.min(1, Math.max(0, (worst - value) / (worst - best))));
}

export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
