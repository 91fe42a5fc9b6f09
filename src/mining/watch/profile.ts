import type { CaseRules } from "./case-rules.ts";

/**
 * The bounds `mine watch --learn` derives from the lines it learns on. Each is
 * `margin × P99 + slack` of what the healthy cases did: P99 so that one odd case in the learning
 * lines does not widen the bound for ever, the margin because the lines watched later are a new
 * sample of the same process (their P99 differs from the learned one), the slack because log
 * timestamps are often whole seconds (a P99 of 0 s must not make every wait a stall).
 */
export const LEARN_BOUNDS = {
  percentile: 0.99,
  margin: 2,
  slackMs: 1000,
  /** Fewer samples than this give no bound of their own (an edge, an activity, the cases). */
  minSamples: 5,
} as const;

export interface ProfileOptions {
  readonly margin?: number;
}

/** One learned case: its activities in order, each with its time (null when the line had none). */
export interface LearnedCase {
  readonly events: readonly { readonly activity: string; readonly time: number | null }[];
}

/** What the profile learned, for the command's summary and the docs' numbers. */
export interface ProfileSummary {
  readonly cases: number;
  /** A case quiet for longer than this is over (ms); null: too few timed cases. */
  readonly idleEndMs: number | null;
  /** Activities that ended every learned case they occurred in (at least minSamples times). */
  readonly terminal: readonly string[];
  /** Directly-follows pairs with a stall bound of their own. */
  readonly edgeBounds: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i] as number;
}

class Samples {
  readonly #values = new Map<string, number[]>();
  add(key: string, v: number): void {
    const list = this.#values.get(key);
    if (list === undefined) this.#values.set(key, [v]);
    else list.push(v);
  }
  bounds(bound: (values: number[]) => number | undefined): Map<string, number> {
    const out = new Map<string, number>();
    for (const [k, vs] of this.#values) {
      const b = bound(vs);
      if (b !== undefined) out.set(k, b);
    }
    return out;
  }
}

/** Stall and end rules learned from healthy cases; see LEARN_BOUNDS for how each bound is set. */
export class LearnedRules implements CaseRules {
  readonly idleEndMs: number | undefined;
  readonly #edges: Map<string, number>;
  readonly #after: Map<string, number>;
  readonly #terminal: ReadonlySet<string>;
  readonly #cases: number;

  constructor(cases: readonly LearnedCase[], options: ProfileOptions = {}) {
    const margin = options.margin ?? LEARN_BOUNDS.margin;
    const bound = (values: number[]) =>
      values.length < LEARN_BOUNDS.minSamples
        ? undefined
        : margin *
            percentile(
              values.sort((a, b) => a - b),
              LEARN_BOUNDS.percentile,
            ) +
          LEARN_BOUNDS.slackMs;
    const edges = new Samples();
    const after = new Samples();
    const durations: number[] = [];
    const occurrences = new Map<string, number>();
    const endings = new Map<string, number>();
    for (const c of cases) {
      let first: number | null = null;
      let last: number | null = null;
      c.events.forEach((e, i) => {
        occurrences.set(e.activity, (occurrences.get(e.activity) ?? 0) + 1);
        const prev = c.events[i - 1];
        if (prev !== undefined && prev.time !== null && e.time !== null) {
          edges.add(`${prev.activity}\u0000${e.activity}`, e.time - prev.time);
          after.add(prev.activity, e.time - prev.time);
        }
        if (e.time !== null) {
          first ??= e.time;
          last = e.time;
        }
      });
      const end = c.events[c.events.length - 1];
      if (end !== undefined) endings.set(end.activity, (endings.get(end.activity) ?? 0) + 1);
      if (first !== null && last !== null) durations.push(last - first);
    }
    this.#edges = edges.bounds(bound);
    this.#after = after.bounds(bound);
    this.idleEndMs = bound(durations);
    this.#terminal = new Set(
      [...occurrences]
        .filter(([a, n]) => n >= LEARN_BOUNDS.minSamples && endings.get(a) === n)
        .map(([a]) => a),
    );
    this.#cases = cases.length;
  }

  /**
   * The longest learned wait among the successors the model allows; when one of them has too
   * few samples, the wait after `last` towards anything; else the case bound (or none).
   */
  stallAfter(last: string, next: readonly string[]): number | undefined {
    let best = 0;
    let unknown = next.length === 0;
    for (const b of next) {
      const limit = this.#edges.get(`${last}\u0000${b}`);
      if (limit === undefined) unknown = true;
      else best = Math.max(best, limit);
    }
    if (!unknown) return best;
    const any = this.#after.get(last);
    if (any !== undefined) return Math.max(best, any);
    return this.idleEndMs;
  }

  isTerminal(activity: string): boolean {
    return this.#terminal.has(activity);
  }

  summary(): ProfileSummary {
    return {
      cases: this.#cases,
      idleEndMs: this.idleEndMs ?? null,
      terminal: [...this.#terminal].sort(),
      edgeBounds: this.#edges.size,
    };
  }
}
