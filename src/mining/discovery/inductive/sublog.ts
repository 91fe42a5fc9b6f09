/**
 * What the inductive miner recurses on: distinct traces (activity numbers) with how often each
 * occurs. Splitting a log makes many equal sub-traces, so they are merged as they are added.
 */
export class SubLog {
  readonly traces: number[][] = [];
  readonly counts: number[] = [];
  readonly #index = new Map<string, number>();

  add(trace: number[], count: number): void {
    const key = trace.join(",");
    const at = this.#index.get(key);
    if (at !== undefined) {
      this.counts[at] = (this.counts[at] as number) + count;
      return;
    }
    this.#index.set(key, this.traces.length);
    this.traces.push(trace);
    this.counts.push(count);
  }

  get size(): number {
    let n = 0;
    for (const c of this.counts) n += c;
    return n;
  }

  /** Each trace with `keep(activity)` events only. */
  filter(keep: (activity: number) => boolean): SubLog {
    const out = new SubLog();
    this.traces.forEach((t, i) => {
      out.add(
        t.filter((a) => keep(a)),
        this.counts[i] as number,
      );
    });
    return out;
  }

  withoutEmpty(): SubLog {
    const out = new SubLog();
    this.traces.forEach((t, i) => {
      if (t.length > 0) out.add(t, this.counts[i] as number);
    });
    return out;
  }

  emptyCount(): number {
    let n = 0;
    this.traces.forEach((t, i) => {
      if (t.length === 0) n += this.counts[i] as number;
    });
    return n;
  }
}

/**
 * The directly-follows graph of a sub-log over its own activities, numbered locally 0..n-1
 * (`acts[i]` is the global number of local activity i). Edge counts are in a dense n×n matrix.
 */
export interface LocalDfg {
  readonly acts: readonly number[];
  readonly local: ReadonlyMap<number, number>;
  readonly n: number;
  readonly edge: Float64Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly occurrences: Float64Array;
}

export function localDfg(log: SubLog): LocalDfg {
  const seen = new Set<number>();
  for (const t of log.traces) for (const a of t) seen.add(a);
  const acts = [...seen].sort((a, b) => a - b);
  const local = new Map(acts.map((a, i) => [a, i]));
  const n = acts.length;
  const edge = new Float64Array(n * n);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const occurrences = new Float64Array(n);
  log.traces.forEach((t, k) => {
    if (t.length === 0) return;
    const count = log.counts[k] as number;
    let prev = -1;
    for (const a of t) {
      const i = local.get(a) as number;
      occurrences[i] = (occurrences[i] as number) + count;
      if (prev === -1) start[i] = (start[i] as number) + count;
      else edge[prev * n + i] = (edge[prev * n + i] as number) + count;
      prev = i;
    }
    end[prev] = (end[prev] as number) + count;
  });
  return { acts, local, n, edge, start, end, occurrences };
}

/**
 * IMf's filter: keep an edge when it is at least `noise` × the strongest edge out of its source,
 * and a start (end) activity when it is at least `noise` × the most frequent one.
 */
export function filterDfg(dfg: LocalDfg, noise: number): LocalDfg {
  const { n } = dfg;
  const edge = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    let max = 0;
    for (let j = 0; j < n; j++) max = Math.max(max, dfg.edge[i * n + j] as number);
    for (let j = 0; j < n; j++) {
      const w = dfg.edge[i * n + j] as number;
      if (w > 0 && w >= noise * max) edge[i * n + j] = w;
    }
  }
  const keep = (v: Float64Array) => {
    const max = Math.max(0, ...v);
    return v.map((w) => (w > 0 && w >= noise * max ? w : 0));
  };
  return { ...dfg, edge, start: keep(dfg.start), end: keep(dfg.end) };
}
