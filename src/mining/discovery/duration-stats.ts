/**
 * The time between two events, over the pairs of a log where both had a timestamp. `count` is
 * how many such pairs there were, so a reader can tell a median of 3 pairs from one of 3 000.
 */
export interface Duration {
  readonly count: number;
  readonly medianMs: number;
  /** Nearest rank: the smallest time that at least 90 % of the pairs took at most. */
  readonly p90Ms: number;
  readonly meanMs: number;
}

/** Median, P90 and mean of some times (sorted in place); null when there are none. */
export function summarize(times: number[]): Duration | null {
  if (times.length === 0) return null;
  times.sort((x, y) => x - y);
  const n = times.length;
  const mid = n >> 1;
  const median =
    n % 2 === 1 ? (times[mid] as number) : ((times[mid - 1] as number) + (times[mid] as number)) / 2;
  const p90 = times[Math.ceil(0.9 * n) - 1] as number;
  let sum = 0;
  for (const t of times) sum += t;
  return { count: n, medianMs: median, p90Ms: p90, meanMs: sum / n };
}
